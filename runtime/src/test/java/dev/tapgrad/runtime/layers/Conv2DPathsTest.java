package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.OutputPenalty;
import dev.tapgrad.runtime.kernel.conv.DirectConv;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2D's two ways of computing, the direct kernel and im2col + GEMM, on the same layers and
 * inputs: forward output, kernel, bias and input gradients and dL/dz left in gOut, each against a
 * float64 reference computed by naive loops. Tolerances follow the length of each sum: a float sum
 * of n terms is within about n·2^-24 of the sum of their magnitudes.
 */
class Conv2DPathsTest {
    private static final double EPS = 0x1p-24;

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, kernel {4}x{5}, stride {6}x{7} {8}, {9}, B={10}")
    @CsvSource({
        "28, 28, 1, 32, 3, 3, 1, 1, VALID, RELU, 3",   // the CNN's layer
        "9, 7, 3, 8, 3, 3, 2, 2, SAME, RELU, 2",
        "8, 9, 2, 4, 5, 5, 1, 1, VALID, RELU, 2",
        "5, 5, 2, 20, 2, 2, 1, 1, SAME, RELU, 3",      // 25 pixels: an odd pixel count per image
        "7, 6, 1, 17, 1, 3, 1, 2, SAME, LINEAR, 2",    // patch 3, padded to 4 kernel rows
        "9, 7, 3, 8, 3, 3, 2, 2, SAME, TANH, 2",
        "6, 6, 2, 16, 3, 3, 1, 1, SAME, GELU, 2",
        "6, 6, 2, 16, 3, 3, 1, 1, VALID, SIGMOID, 2"})
    void bothPathsMatchTheFloat64Reference(int h, int w, int c, int f, int kh, int kw, int sh, int sw,
            Padding padding, Activation act, int b) {
        Case t = new Case(h, w, c, f, kh, kw, sh, sw, padding, act, b, null);
        Conv2D direct = t.layer("d");
        Conv2D general = t.copy(direct, "g");
        direct.useDirect(true);
        general.useDirect(false);
        assertTrue(direct.usesDirect());
        t.check(direct, "direct");
        t.check(general, "im2col");
    }

    /**
     * The direct kernel's two implementations, the Vector API's and the scalar loops (its fallback),
     * on the same layers and inputs, each with and without an output penalty computed in its passes.
     * Filters that are not a multiple of the lanes (20) take the scalar loops even when vectors are
     * asked for.
     */
    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, kernel {4}x{5}, stride {6}x{7} {8}, {9}, B={10}, {11}")
    @CsvSource({
        "28, 28, 1, 32, 3, 3, 1, 1, VALID, RELU, 3, MEAN_ABS",   // the CNN's layer and its penalty
        "28, 28, 1, 32, 3, 3, 1, 1, VALID, RELU, 3, NONE",
        "28, 28, 1, 16, 3, 3, 1, 1, VALID, RELU, 2, SUM_SQUARE",
        "28, 28, 1, 48, 3, 3, 1, 1, VALID, RELU, 2, MEAN_SQUARE",
        "28, 28, 1, 48, 3, 3, 1, 1, VALID, LINEAR, 2, SUM_ABS",
        "7, 7, 1, 32, 3, 3, 1, 1, VALID, RELU, 3, SUM_ABS",      // 25 pixels per image
        "9, 9, 1, 16, 3, 3, 1, 1, VALID, LINEAR, 3, NONE",       // 49
        "11, 10, 1, 16, 3, 3, 1, 1, SAME, RELU, 2, MEAN_ABS",    // rows of 10: two 8-pixel row tiles overlapping, padded
        "12, 11, 2, 16, 5, 5, 1, 1, VALID, RELU, 2, MEAN_ABS",   // 5x5x2: the taps in a loop
        "9, 8, 2, 16, 5, 5, 1, 1, SAME, RELU, 3, MEAN_SQUARE",   // padded, 72 pixels
        "9, 7, 1, 32, 3, 3, 2, 2, SAME, RELU, 2, SUM_SQUARE",    // padded with strides, 20 pixels
        "10, 10, 1, 32, 3, 3, 2, 2, VALID, RELU, 2, NONE",       // strides, the last input row unread
        "6, 6, 2, 16, 3, 3, 1, 1, SAME, TANH, 2, MEAN_ABS",
        "5, 5, 2, 20, 2, 2, 1, 1, SAME, RELU, 3, MEAN_SQUARE"})  // 20 filters: the scalar loops
    void bothDirectImplementationsMatchTheFloat64Reference(int h, int w, int c, int f, int kh, int kw, int sh,
            int sw, Padding padding, Activation act, int b, String penalty) {
        OutputPenalty pen = penalty.equals("NONE") ? null : OutputPenalty.valueOf(penalty);
        Case t = new Case(h, w, c, f, kh, kw, sh, sw, padding, act, b, pen);
        Conv2D vector = t.layer("v");
        Conv2D scalar = t.copy(vector, "s");
        vector.useDirect(true, true);
        scalar.useDirect(true, false);
        assertEquals(DirectConv.VECTOR_LANES > 0 && f % DirectConv.VECTOR_LANES == 0, vector.usesVectorConv(), "vector path taken");
        assertTrue(scalar.usesDirect() && !scalar.usesVectorConv(), "the scalar loops when vectors are off");
        t.check(vector, vector.usesVectorConv() ? "vector" : "direct (fallback)");
        t.check(scalar, "direct");
    }

    /**
     * Layers with patches over 32 values: the per-image passes (ImageConv) with the Vector API's
     * implicit-GEMM kernels where they suit (stride 1, filters a multiple of the lanes; dL/dx by
     * them when the channels are a multiple too), the portable per-image passes, and the chunked
     * im2col path, each against the float64 reference. Odd shapes: channels and filters not
     * multiples of 16, a kernel row whose kw·channels is not a multiple of 8, SAME padding with an
     * even kernel, strides 2, batch 1, activations that keep the pre-activation.
     */
    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, kernel {4}x{5}, stride {6}x{7} {8}, {9}, B={10}, {11}")
    @CsvSource({
        "26, 26, 16, 32, 3, 3, 1, 1, VALID, RELU, 3, MEAN_SQUARE",  // twoconv64's second layer
        "11, 13, 16, 32, 3, 3, 1, 1, SAME, RELU, 2, SUM_ABS",       // dL/dz in the tiles with L1, rows of 8 + 5, border 1
        "13, 13, 32, 64, 3, 3, 1, 1, VALID, RELU, 2, MEAN_ABS",     // convnet128's second layer
        "9, 8, 20, 16, 3, 3, 1, 1, SAME, RELU, 3, NONE",            // 20 channels: dL/dx by patches
        "7, 9, 16, 48, 3, 3, 1, 1, SAME, LINEAR, 2, SUM_ABS",       // 48 filters: a pair and a single vector
        "5, 7, 5, 16, 4, 3, 1, 1, SAME, RELU, 3, MEAN_ABS",         // kw·c = 15: 8 taps and 7 alone
        "6, 5, 12, 32, 3, 2, 1, 1, SAME, TANH, 1, NONE",            // batch 1
        "10, 10, 17, 20, 3, 3, 2, 2, SAME, RELU, 2, SUM_SQUARE",    // strides 2, 20 filters: portable
        "12, 12, 4, 32, 3, 3, 1, 1, VALID, GELU, 2, NONE",          // the pre-activation kept (short sums: dz uses the reference z)
        "12, 11, 32, 32, 5, 5, 1, 1, VALID, RELU, 2, NONE",         // 800-value patches
        "4, 30, 16, 16, 3, 3, 1, 1, SAME, RELU, 2, MEAN_SQUARE"})   // rows wider than a tile, few of them
    void largePatchPathsMatchTheFloat64Reference(int h, int w, int c, int f, int kh, int kw, int sh, int sw,
            Padding padding, Activation act, int b, String penalty) {
        OutputPenalty pen = penalty.equals("NONE") ? null : OutputPenalty.valueOf(penalty);
        Case t = new Case(h, w, c, f, kh, kw, sh, sw, padding, act, b, pen);
        Conv2D vector = t.layer("v");
        Conv2D portable = t.copy(vector, "p");
        Conv2D chunked = t.copy(vector, "c");
        vector.useDirect(true, true);
        portable.useDirect(true, false);
        chunked.useDirect(false);
        boolean vectors = DirectConv.VECTOR_LANES > 0 && sh == 1 && sw == 1 && f % DirectConv.VECTOR_LANES == 0;
        assertEquals(vectors, vector.usesVectorConv(), "implicit-GEMM kernels taken");
        assertTrue(portable.usesDirect() && !portable.usesVectorConv(), "the portable per-image passes");
        t.check(vector, vector.usesVectorConv() ? "implicit GEMM" : "per image (fallback)");
        t.check(portable, "per image");
        t.check(chunked, "im2col");
    }

    /**
     * 3×3 stride-1 layers of 32 channels and more: the Vector API's passes run the forward and
     * dL/dx as Winograd F(2×2, 3×3) (kernel/conv Winograd; without the Vector API, as in the
     * runtime's portable test run, PortableImageConv's WinogradRows), here beside the same passes with
     * {@code -Dtapgrad.conv.winograd=false} (Row3Tiles' direct tiles), each against the float64
     * reference with the unchanged bounds. VALID and SAME, odd sizes (tiles cut at the bottom and
     * right edges), one vector of filters (16) and three (48), dL/dx with 32 and 48 channels out.
     */
    @ParameterizedTest(name = "{0}x{1}x{2} -> {3} {4}, {5}, B={6}, {7}")
    @CsvSource({
        "13, 13, 32, 64, VALID, RELU, 3, MEAN_SQUARE",   // convnet128's second layer
        "9, 7, 32, 32, SAME, RELU, 2, MEAN_ABS",
        "8, 11, 32, 16, VALID, LINEAR, 2, SUM_SQUARE",
        "5, 6, 48, 48, SAME, TANH, 2, NONE",
        "3, 3, 32, 32, SAME, RELU, 1, NONE"})
    void winogradAndTheDirectTilesMatchTheFloat64Reference(int h, int w, int c, int f, Padding padding, Activation act,
            int b, String penalty) {
        OutputPenalty pen = penalty.equals("NONE") ? null : OutputPenalty.valueOf(penalty);
        Case t = new Case(h, w, c, f, 3, 3, 1, 1, padding, act, b, pen);
        Conv2D wino = t.layer("w");
        Conv2D tiles = t.copy(wino, "t");
        wino.useDirect(true, true);
        String old = System.getProperty("tapgrad.conv.winograd");
        System.setProperty("tapgrad.conv.winograd", "false");
        try {
            tiles.useDirect(true, true);
        } finally {
            if (old == null) {
                System.clearProperty("tapgrad.conv.winograd");
            } else {
                System.setProperty("tapgrad.conv.winograd", old);
            }
        }
        boolean vectors = DirectConv.VECTOR_LANES > 0 && f % DirectConv.VECTOR_LANES == 0;
        assertEquals(vectors, wino.usesVectorConv(), "implicit-GEMM kernels taken");
        // the Vector API's passes take Winograd from 32 channels (a multiple of the lanes), the portable ones from 16
        assertEquals(vectors ? c % DirectConv.VECTOR_LANES == 0 : c >= 16, wino.usesWinograd(), "Winograd taken");
        assertTrue(!tiles.usesWinograd(), "switched off");
        t.check(wino, wino.usesWinograd() ? "Winograd" : "per image (fallback)");
        t.check(tiles, "direct tiles");
    }

    /** The runtime's tests run with the Vector API module (surefire's argLine): the vector path is tested. */
    @Test
    void theVectorPathRunsWhereTheModuleIsPresent() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean on = !"false".equalsIgnoreCase(System.getProperty("tapgrad.vector"));
        if (module && on && DirectConv.FMA) {
            assertTrue(DirectConv.VECTOR_LANES >= 4, "VectorConv loaded");
            Conv2D conv = new Conv2D("c", 28, 28, 1, 32, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
            assertEquals(32 % DirectConv.VECTOR_LANES == 0, conv.usesVectorConv());
        }
    }

    /** One layer's sizes and inputs, and the checks of a layer's passes against the float64 reference. */
    private static final class Case {
        final int h, w, c, f, kh, kw, sh, sw, b;
        final Padding padding;
        final Activation act;
        final OutputPenalty penalty;
        final double weight = 0.037;
        final Random random;
        final Tensor x, g, gx0;
        private Conv2D first;

        Case(int h, int w, int c, int f, int kh, int kw, int sh, int sw, Padding padding, Activation act, int b,
                OutputPenalty penalty) {
            this.h = h;
            this.w = w;
            this.c = c;
            this.f = f;
            this.kh = kh;
            this.kw = kw;
            this.sh = sh;
            this.sw = sw;
            this.padding = padding;
            this.act = act;
            this.b = b;
            this.penalty = penalty;
            this.random = new Random(h * 131 + w * 17 + c * 5 + f + kh + sh + act.ordinal());
            int oh = Conv2D.outputSize(h, kh, sh, padding);
            int ow = Conv2D.outputSize(w, kw, sw, padding);
            // The layer's parameters are drawn first, as before the inputs existed.
            first = new Conv2D("t", h, w, c, f, kh, kw, sh, sw, padding, act);
            first.initialize(random);
            float[] bias = first.bias().buffer();
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (0.3 * random.nextGaussian());
            }
            x = Tensor.randn(random, b, h, w, c);
            g = Tensor.randn(random, b, oh, ow, f);
            gx0 = Tensor.randn(random, b, h, w, c); // gx accumulates: start from values, not zeros
        }

        Conv2D layer(String name) {
            return copy(first, name);
        }

        Conv2D copy(Conv2D from, String name) {
            Conv2D conv = new Conv2D(name, h, w, c, f, kh, kw, sh, sw, padding, act);
            conv.kernel().copyFrom(from.kernel());
            conv.bias().copyFrom(from.bias());
            if (penalty != null) {
                conv.penalize(penalty, weight);
            }
            return conv;
        }

        void check(Conv2D conv, String path) {
            Reference ref = new Reference(conv, x, kh, kw, sh, sw, padding);
            Tensor out = Tensor.zeros(g.shape());
            conv.forward(x, out);
            double penaltySum = 0;
            double penaltyTol = 0;
            int pixels = out.dim(1) * out.dim(2);
            for (int i = 0; i < ref.z.length; i++) {
                double expected = activate(act, ref.z[i]);
                double tol = 4 * (ref.terms + 1) * EPS * ref.zAbs[i] * Math.max(1, Math.abs(slope(act, ref.z[i]))) + 1e-7;
                assertEquals(expected, out.buffer()[i], tol, path + " " + act + " out[" + i + "]");
                if (penalty != null) {
                    penaltySum += penalty.squares() ? expected * expected : Math.abs(expected);
                    // Each term within its output's tolerance, then float sums of at most an image's pixels.
                    penaltyTol += (penalty.squares() ? 2 * Math.abs(expected) + tol : 1) * tol
                            + 4 * (pixels + 1) * EPS * (penalty.squares() ? expected * expected : Math.abs(expected));
                }
            }
            if (penalty != null) {
                int n = out.size();
                double want = penalty.averages() ? penaltySum / n : penaltySum;
                double tol = (penalty.averages() ? penaltyTol / n : penaltyTol) + 4 * EPS * Math.abs(want);
                assertEquals(want, conv.penalty(), tol, path + " penalty");
            }
            // Two backward passes: the second sees warm scratch and must add, not overwrite.
            Tensor gx = gx0.copy();
            Tensor gOut = g.copy();
            conv.backward(x, out, gOut, gx);
            gOut = g.copy();
            conv.backward(x, out, gOut, gx);
            float scale = penalty == null ? 0f : penalty.scale(weight, out.size());
            double[] dz = new double[ref.z.length];
            for (int i = 0; i < dz.length; i++) {
                double o = out.buffer()[i];
                double pg = penalty == null ? 0 : penalty.squares() ? 2 * o * scale : Math.signum(o) * scale;
                // relu's mask from this path's own output: a z within rounding of 0 may land either side.
                dz[i] = act == Activation.RELU ? (o > 0 ? g.buffer()[i] + pg : 0)
                        : (g.buffer()[i] + pg) * slope(act, ref.z[i]);
                assertEquals(dz[i], gOut.buffer()[i], 1e-6 * (1 + Math.abs(dz[i])), path + " dL/dz left in gOut[" + i + "]");
            }
            Reference.Grads want = ref.gradients(dz);
            float[] gk = conv.parameters().get(0).grad().buffer();
            float[] gb = conv.parameters().get(1).grad().buffer();
            for (int i = 0; i < gk.length; i++) {
                assertEquals(2 * want.kernel[i], gk[i], tolerance(want.kernelTerms, 2 * want.kernelAbs[i]),
                        path + " " + act + " kernel grad " + i);
            }
            for (int i = 0; i < gb.length; i++) {
                assertEquals(2 * want.bias[i], gb[i], tolerance(want.biasTerms, 2 * want.biasAbs[i]),
                        path + " " + act + " bias grad " + i);
            }
            for (int i = 0; i < gx.size(); i++) {
                double expected = gx0.buffer()[i] + 2 * want.x[i];
                assertEquals(expected, gx.buffer()[i], tolerance(f * kh * kw, 2 * want.xAbs[i] + Math.abs(gx0.buffer()[i])),
                        path + " " + act + " gx " + i);
            }
        }
    }

    /** The direct kernel's relu is Math.max: NaN pre-activations stay NaN in out, as with im2col. */
    @Test
    void nanPropagatesThroughTheFusedRelu() {
        Random random = new Random(3);
        Conv2D conv = new Conv2D("c", 6, 6, 1, 16, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
        conv.initialize(random);
        conv.useDirect(true);
        Tensor x = Tensor.randn(random, 1, 6, 6, 1);
        x.buffer()[0] = Float.NaN; // read only by output pixel (0, 0)
        Tensor out = Tensor.zeros(1, 4, 4, 16);
        conv.forward(x, out);
        for (int i = 0; i < out.size(); i++) {
            boolean fromNan = i < 16;
            assertEquals(fromNan, Float.isNaN(out.buffer()[i]), "out[" + i + "]");
            assertTrue(fromNan || out.buffer()[i] >= 0, "relu of a finite value");
        }
        // Relu's derivative is 0 at NaN (as Activations.backward): the gradient of pixel (0, 0) is dropped.
        Tensor g = Tensor.randn(random, 1, 4, 4, 16);
        conv.backward(x, out, g, null);
        for (int i = 0; i < 16; i++) {
            assertEquals(0f, g.buffer()[i], "dL/dz at a NaN output");
        }
    }

    @Test
    void theCnnLayerTakesTheDirectKernelWhereFmaIsHardware() {
        Conv2D conv = new Conv2D("c", 28, 28, 1, 32, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
        assertEquals(DirectConv.FMA, conv.usesDirect());
        Conv2D wide = new Conv2D("w", 8, 8, 16, 32, 3, 3, 1, 1, Padding.SAME, Activation.RELU);
        assertTrue(wide.usesDirect(), "144-value patches are computed one image at a time");
    }

    private static double tolerance(int terms, double absSum) {
        return 4 * (terms + 1) * EPS * absSum + 1e-6;
    }

    private static double activate(Activation act, double z) {
        switch (act) {
            case RELU:
                return Math.max(z, 0);
            case TANH:
                return Math.tanh(z);
            case SIGMOID:
                return 1 / (1 + Math.exp(-z));
            case GELU:
                return 0.5 * z * (1 + erf(z / Math.sqrt(2)));
            default:
                return z;
        }
    }

    private static double slope(Activation act, double z) {
        switch (act) {
            case RELU:
                return z > 0 ? 1 : 0;
            case TANH:
                return 1 - Math.tanh(z) * Math.tanh(z);
            case SIGMOID:
                double s = 1 / (1 + Math.exp(-z));
                return s * (1 - s);
            case GELU:
                return 0.5 * (1 + erf(z / Math.sqrt(2))) + z * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            default:
                return 1;
        }
    }

    /** erf by its Taylor series (|x| small here) or the continued fraction's limit; 1e-12 is ample. */
    private static double erf(double x) {
        if (Math.abs(x) > 5) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** Pre-activation, its magnitudes, and gradients by naive loops in double. */
    private static final class Reference {
        final double[] z;
        final double[] zAbs;
        final int terms;
        private final float[] x;
        private final float[] kernel;
        private final int b, h, w, c, f, kh, kw, sh, sw, oh, ow, top, left;

        Reference(Conv2D conv, Tensor input, int kh, int kw, int sh, int sw, Padding padding) {
            this.x = input.buffer();
            this.kernel = conv.kernel().buffer();
            this.b = input.dim(0);
            this.h = input.dim(1);
            this.w = input.dim(2);
            this.c = input.dim(3);
            this.f = conv.bias().size();
            this.kh = kh;
            this.kw = kw;
            this.sh = sh;
            this.sw = sw;
            this.oh = conv.outputHeight();
            this.ow = conv.outputWidth();
            this.top = padding == Padding.SAME ? Math.max((oh - 1) * sh + kh - h, 0) / 2 : 0;
            this.left = padding == Padding.SAME ? Math.max((ow - 1) * sw + kw - w, 0) / 2 : 0;
            this.terms = kh * kw * c + 1;
            z = new double[b * oh * ow * f];
            zAbs = new double[z.length];
            float[] bias = conv.bias().buffer();
            for (int n = 0; n < b; n++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int o = 0; o < f; o++) {
                            double s = bias[o];
                            double a = Math.abs(bias[o]);
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int xi = inputIndex(n, oy, ox, ky, kx);
                                    for (int ci = 0; xi >= 0 && ci < c; ci++) {
                                        double t = (double) x[xi + ci] * kernel[((ky * kw + kx) * c + ci) * f + o];
                                        s += t;
                                        a += Math.abs(t);
                                    }
                                }
                            }
                            int i = ((n * oh + oy) * ow + ox) * f + o;
                            z[i] = s;
                            zAbs[i] = a;
                        }
                    }
                }
            }
        }

        /** Index of x[n, iy, ix, 0] read by kernel tap (ky, kx) of output pixel (oy, ox); −1 in the padding. */
        private int inputIndex(int n, int oy, int ox, int ky, int kx) {
            int iy = oy * sh + ky - top;
            int ix = ox * sw + kx - left;
            return iy < 0 || iy >= h || ix < 0 || ix >= w ? -1 : ((n * h + iy) * w + ix) * c;
        }

        static final class Grads {
            double[] kernel, kernelAbs, bias, biasAbs, x, xAbs;
            int kernelTerms, biasTerms;
        }

        Grads gradients(double[] dz) {
            Grads r = new Grads();
            r.kernel = new double[kernel.length];
            r.kernelAbs = new double[kernel.length];
            r.bias = new double[f];
            r.biasAbs = new double[f];
            r.x = new double[x.length];
            r.xAbs = new double[x.length];
            r.kernelTerms = b * oh * ow;
            r.biasTerms = b * oh * ow;
            for (int n = 0; n < b; n++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int o = 0; o < f; o++) {
                            double d = dz[((n * oh + oy) * ow + ox) * f + o];
                            r.bias[o] += d;
                            r.biasAbs[o] += Math.abs(d);
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int xi = inputIndex(n, oy, ox, ky, kx);
                                    for (int ci = 0; xi >= 0 && ci < c; ci++) {
                                        int ki = ((ky * kw + kx) * c + ci) * f + o;
                                        double tk = x[xi + ci] * d;
                                        r.kernel[ki] += tk;
                                        r.kernelAbs[ki] += Math.abs(tk);
                                        double tx = kernel[ki] * d;
                                        r.x[xi + ci] += tx;
                                        r.xAbs[xi + ci] += Math.abs(tx);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return r;
        }
    }
}
