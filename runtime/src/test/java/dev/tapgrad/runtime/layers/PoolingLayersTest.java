package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import dev.tapgrad.runtime.kernel.Platform;
import dev.tapgrad.runtime.kernel.conv.MaxPoolWindows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pooling layers, Reshape and Conv1D against PyTorch (runtime/src/test/python/
 * make_pooling_reference.py): values and gradients of {@code L = Σ out·r} within 1e-4 relative.
 * The pooling inputs lie on a grid of quarters so that max windows hold ties: the reference pins
 * where a tied max's gradient goes. Input gradients are accumulated into a buffer that already
 * holds 0.5 everywhere, as generated graphs rely on.
 */
class PoolingLayersTest {
    private static final float PRESET = 0.5f;
    private static Map<String, Tensor> ref;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pooling_reference.safetensors");
        try (InputStream in = PoolingLayersTest.class.getResourceAsStream("pooling_reference.safetensors")) {
            assertNotNull(in, "pooling_reference.safetensors is missing; run runtime/src/test/python/make_pooling_reference.py");
            Files.copy(in, file);
        }
        ref = Safetensors.read(file);
    }

    @Test
    void maxPoolValid() {
        checkPool("max_valid", x -> new MaxPool2D("p", x[1], x[2], x[3], 2, 3, 2, 2, Padding.VALID));
    }

    @Test
    void maxPoolSame() {
        checkPool("max_same", x -> new MaxPool2D("p", x[1], x[2], x[3], 3, 3, 2, 2, Padding.SAME));
    }

    @Test
    void maxPoolKerasDefaults() {
        checkPool("max_default", x -> new MaxPool2D("p", x[1], x[2], x[3], 2, 2, 2, 2, Padding.VALID));
    }

    @Test
    void avgPoolValid() {
        checkPool("avg_valid", x -> new AvgPool2D("p", x[1], x[2], x[3], 2, 3, 1, 2, Padding.VALID));
    }

    @Test
    void avgPoolSameAveragesRealPositionsOnly() {
        checkPool("avg_same", x -> new AvgPool2D("p", x[1], x[2], x[3], 3, 2, 2, 3, Padding.SAME));
    }

    @Test
    void globalPools() {
        checkPool("gavg2d", x -> new GlobalAvgPool2D("p", x[1], x[2], x[3]));
        checkPool("gmax2d", x -> new GlobalMaxPool2D("p", x[1], x[2], x[3]));
        checkPool("gavg1d", x -> new GlobalAvgPool1D("p", x[1], x[2]));
        checkPool("gmax1d", x -> new GlobalMaxPool1D("p", x[1], x[2]));
    }

    @Test
    void reshape() {
        checkPool("reshape", x -> new Reshape("p", 6, 4));
    }

    @Test
    void conv1dValidStride2Tanh() {
        checkConv1D("conv1d_valid", 2, Padding.VALID, Activation.TANH);
    }

    @Test
    void conv1dSameRelu() {
        checkConv1D("conv1d_same", 1, Padding.SAME, Activation.RELU);
    }

    @Test
    void conv1dParametersHaveKerasNamesAndLayouts() {
        Conv1D c = new Conv1D("c", 10, 3, 8, 5, 1, Padding.VALID, Activation.LINEAR);
        List<Parameter> p = c.parameters();
        assertEquals(List.of("c.kernel", "c.bias"), List.of(p.get(0).name(), p.get(1).name()));
        assertArrayEquals(new int[] {5, 3, 8}, p.get(0).value().shape());
        assertArrayEquals(new int[] {8}, p.get(1).value().shape());
        assertArrayEquals(new int[] {4, 6, 8}, c.outputShape(new int[] {4, 10, 3}));
    }

    /** torch.max_pool2d on [[1, 2], [2, 2]] sends the gradient to the first 2 (the fixture script asserts it too). */
    @Test
    void aTiedMaxRoutesToTheFirstInWindowOrder() {
        MaxPool2D p = new MaxPool2D("p", 2, 2, 1, 2, 2, 2, 2, Padding.VALID);
        Tensor x = Tensor.of(new float[] {1, 2, 2, 2}, 1, 2, 2, 1);
        Tensor out = Tensor.zeros(1, 1, 1, 1);
        p.forward(x, out);
        Tensor gx = Tensor.zeros(1, 2, 2, 1);
        p.backward(x, Tensor.of(new float[] {3}, 1, 1, 1, 1), gx);
        assertArrayEquals(new float[] {0, 3, 0, 0}, gx.buffer());
        GlobalMaxPool1D g = new GlobalMaxPool1D("g", 3, 1);
        Tensor gy = Tensor.zeros(1, 3, 1);
        g.backward(Tensor.of(new float[] {1, 3, 3}, 1, 3, 1), Tensor.of(new float[] {1}, 1, 1), gy);
        assertArrayEquals(new float[] {0, 1, 0}, gy.buffer());
    }

    @Test
    void aNaNInAWindowIsItsMax() {
        MaxPool2D p = new MaxPool2D("p", 2, 2, 2, 2, 2, 2, 2, Padding.VALID);
        Tensor x = Tensor.of(new float[] {1, 5, Float.NaN, 4, 3, 3, 2, Float.NaN}, 1, 2, 2, 2);
        Tensor out = Tensor.zeros(1, 1, 1, 2);
        p.forward(x, out);
        assertTrue(Float.isNaN(out.buffer()[0]) && Float.isNaN(out.buffer()[1]), java.util.Arrays.toString(out.buffer()));
        GlobalMaxPool2D g = new GlobalMaxPool2D("g", 2, 2, 2);
        Tensor gOut = Tensor.zeros(1, 2);
        g.forward(x, gOut);
        assertTrue(Float.isNaN(gOut.buffer()[0]) && Float.isNaN(gOut.buffer()[1]));
    }

    /**
     * Backward after forward on the same x uses the winners forward recorded (images shared
     * between threads); on another x it scans the windows again. Both must route every gradient
     * to the first largest value of its window, ties, NaNs and infinities included, with
     * overlapping windows and SAME padding, infinite and NaN gradients, and Keras's 2×2 windows (VALID over odd sizes, whose
     * last row and column are dropped; SAME over even ones), which the portable forward takes on
     * {@code MaxPoolWindows.firstLargest4}: checked against a scan written here, also with
     * dL/dx overwritten instead of accumulated. With 32 or 64 channels the forward runs on the
     * Vector API's windows (MaxPoolWindows) where it is usable, and on the portable loops with
     * {@code -Dtapgrad.vector.pool=false}; the outputs must be the winners' bits (−0 stays −0, a
     * NaN keeps its payload).
     */
    @ParameterizedTest
    @CsvSource({"3, true, 7, 6, 3, 2, 2, 1, SAME", "32, true, 7, 6, 3, 2, 2, 1, SAME", "32, false, 7, 6, 3, 2, 2, 1, SAME",
            "3, false, 7, 9, 2, 2, 2, 2, VALID", "32, false, 7, 9, 2, 2, 2, 2, VALID", "32, true, 7, 9, 2, 2, 2, 2, VALID",
            "64, false, 8, 6, 2, 2, 2, 2, SAME", "64, true, 8, 6, 2, 2, 2, 2, SAME", "5, false, 7, 7, 2, 2, 2, 2, SAME", "32, true, 6, 5, 2, 1, 2, 1, VALID",
            "32, true, 5, 6, 1, 3, 1, 2, VALID"})
    void recordedWinnersAndARescanRouteAlike(int c, boolean vector, int h, int w, int ph, int pw, int sh, int sw,
            Padding padding) {
        if (vector && c == 32) {
            assertEquals(Platform.vectorUsable(),
                    MaxPoolWindows.suits(c), "32 channels take the vector windows");
        }
        String before = System.setProperty("tapgrad.vector.pool", String.valueOf(vector));
        try {
            for (int finite = 0; finite < 2; finite++) {
                routeAlike(c, h, w, ph, pw, sh, sw, padding, finite == 1);
            }
        } finally {
            if (before == null) {
                System.clearProperty("tapgrad.vector.pool");
            } else {
                System.setProperty("tapgrad.vector.pool", before);
            }
        }
    }

    private static void routeAlike(int c, int h, int w, int ph, int pw, int sh, int sw, Padding padding,
            boolean finite) {
        int b = 5;
        MaxPool2D p = new MaxPool2D("p", h, w, c, ph, pw, sh, sw, padding);
        boolean same = padding == Padding.SAME;
        int oh = same ? (h + sh - 1) / sh : (h - ph) / sh + 1;
        int ow = same ? (w + sw - 1) / sw : (w - pw) / sw + 1;
        int top = same ? Math.max((oh - 1) * sh + ph - h, 0) / 2 : 0;
        int left = same ? Math.max((ow - 1) * sw + pw - w, 0) / 2 : 0;
        java.util.Random random = new java.util.Random(7 + c + h + w);
        float[] xs = new float[b * h * w * c];
        for (int i = 0; i < xs.length; i++) {
            // Few distinct values, so windows hold ties (−0 beside +0 too); unless finite, a few
            // NaNs (one with a payload of its own) and infinities, but in some images only.
            int k = random.nextInt(50);
            boolean odd = !finite && (i / (h * w * c)) % 2 == 1;
            xs[i] = odd && k == 0 ? Float.NaN : odd && k == 2 ? Float.intBitsToFloat(0x7fc01234)
                    : odd && k == 3 ? Float.POSITIVE_INFINITY : odd && k == 4 ? Float.NEGATIVE_INFINITY
                    : k == 1 ? -0f : random.nextInt(4) - 2;
        }
        float[] gs = new float[b * oh * ow * c];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = 1 + random.nextInt(9);
        }
        if (!finite) {
            // Gradients that are not finite, in one image: only their winners may get them.
            gs[oh * ow * c + 1] = Float.POSITIVE_INFINITY;
            gs[oh * ow * c + c] = Float.NaN;
        }
        float[] want = new float[xs.length];
        float[] wantOut = new float[gs.length];
        for (int n = 0; n < b; n++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        int best = -1;
                        for (int y = oy * sh - top; y < oy * sh - top + ph; y++) {
                            for (int xx = ox * sw - left; xx < ox * sw - left + pw; xx++) {
                                if (y < 0 || y >= h || xx < 0 || xx >= w) {
                                    continue;
                                }
                                int at = ((n * h + y) * w + xx) * c + ch;
                                boolean nanFirst = Float.isNaN(xs[at]) && (best < 0 || !Float.isNaN(xs[best]));
                                if (best < 0 || nanFirst || xs[at] > xs[best]) {
                                    best = at;
                                }
                            }
                        }
                        int o = ((n * oh + oy) * ow + ox) * c + ch;
                        want[best] += gs[o];
                        wantOut[o] = xs[best];
                    }
                }
            }
        }
        Tensor x = Tensor.of(xs.clone(), b, h, w, c);
        Tensor out = Tensor.zeros(b, oh, ow, c);
        p.forward(x, out);
        assertArrayEquals(rawBits(wantOut), rawBits(out.buffer()), "the winners' bits");
        Tensor gx = Tensor.zeros(b, h, w, c);
        p.backward(x, Tensor.of(gs.clone(), b, oh, ow, c), gx);
        assertArrayEquals(want, gx.buffer(), "recorded winners");
        gx.fill(7f);
        p.backward(x, Tensor.of(gs.clone(), b, oh, ow, c), gx, false);
        assertArrayEquals(want, gx.buffer(), "recorded winners, dL/dx overwritten");
        Tensor other = Tensor.of(xs.clone(), b, h, w, c);
        Tensor gx2 = Tensor.zeros(b, h, w, c);
        p.backward(other, Tensor.of(gs.clone(), b, oh, ow, c), gx2);
        assertArrayEquals(want, gx2.buffer(), "rescan of another x");
    }

    private static int[] rawBits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }

    @Test
    void poolsRefuseWhatTheyCannotTake() {
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2D("p", 2, 5, 1, 3, 3, 3, 3, Padding.VALID));
        MaxPool2D p = new MaxPool2D("p", 4, 4, 2, 2, 2, 2, 2, Padding.VALID);
        assertThrows(IllegalArgumentException.class, () -> p.outputShape(new int[] {3, 4, 4}));
        assertThrows(IllegalArgumentException.class, () -> p.forward(Tensor.zeros(1, 4, 4, 2), Tensor.zeros(1, 3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Reshape("r", 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Reshape("r", 5).outputShape(new int[] {2, 2, 3}));
    }

    /** Any layer whose calls are forward(x, out) and backward([x,] gOut, gx). */
    private interface Build {
        AbstractLayer of(int[] xShape);
    }

    private static void checkPool(String name, Build build) {
        Tensor x = ref.get(name + ".x");
        Tensor r = ref.get(name + ".r");
        AbstractLayer layer = build.of(x.shape());
        Tensor out = Tensor.zeros(layer.outputShape(x.shape()));
        assertArrayEquals(ref.get(name + ".out").shape(), out.shape(), name + ": output shape");
        Tensor gx = Tensor.zeros(x.shape());
        gx.fill(PRESET);
        for (int pass = 0; pass < 2; pass++) { // the second pass reuses everything: same values, gradient twice
            forward(layer, x, out);
            backward(layer, x, r, gx);
            assertClose(name + ".out", ref.get(name + ".out").buffer(), out.buffer(), 0);
        }
        assertClose(name + ".grad.x", ref.get(name + ".grad.x").buffer(), gx.buffer(), 2);
    }

    private static void forward(AbstractLayer layer, Tensor x, Tensor out) {
        if (layer instanceof MaxPool2D p) {
            p.forward(x, out);
        } else if (layer instanceof AvgPool2D p) {
            p.forward(x, out);
        } else if (layer instanceof GlobalPooling p) {
            p.forward(x, out);
        } else {
            ((Reshape) layer).forward(x, out);
        }
    }

    private static void backward(AbstractLayer layer, Tensor x, Tensor r, Tensor gx) {
        if (layer instanceof MaxPool2D p) {
            p.backward(x, r, gx);
        } else if (layer instanceof AvgPool2D p) {
            p.backward(r, gx);
        } else if (layer instanceof GlobalPooling p) {
            p.backward(x, r, gx);
        } else {
            ((Reshape) layer).backward(r, gx);
        }
    }

    private static void checkConv1D(String name, int stride, Padding padding, Activation act) {
        Tensor x = ref.get(name + ".x");
        Tensor kernel = ref.get(name + ".kernel");
        Conv1D c = new Conv1D("c", x.dim(1), x.dim(2), kernel.dim(2), kernel.dim(0), stride, padding, act);
        System.arraycopy(kernel.buffer(), 0, c.kernel().buffer(), 0, kernel.size());
        System.arraycopy(ref.get(name + ".bias").buffer(), 0, c.bias().buffer(), 0, c.bias().size());
        Tensor out = Tensor.zeros(c.outputShape(x.shape()));
        c.forward(x, out);
        assertClose(name + ".out", ref.get(name + ".out").buffer(), out.buffer(), 0);
        Tensor gx = Tensor.zeros(x.shape());
        gx.fill(PRESET);
        c.backward(x, out, ref.get(name + ".r").copy(), gx);
        assertClose(name + ".grad.x", ref.get(name + ".grad.x").buffer(), gx.buffer(), 1);
        assertClose(name + ".grad.kernel", ref.get(name + ".grad.kernel").buffer(), c.parameters().get(0).grad().buffer(), 0);
        assertClose(name + ".grad.bias", ref.get(name + ".grad.bias").buffer(), c.parameters().get(1).grad().buffer(), 0);
    }

    /** actual against expected (passes 0), or against PRESET plus {@code passes} accumulated copies of expected. */
    private static void assertClose(String what, float[] expected, float[] actual, int passes) {
        assertEquals(expected.length, actual.length, what + ": size");
        double largest = 0;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double e = passes == 0 ? expected[i] : PRESET + passes * (double) expected[i];
            assertEquals(e, actual[i], 1e-4 * Math.abs(e) + 1e-6 * largest + 1e-7, what + "[" + i + "]");
        }
    }
}
