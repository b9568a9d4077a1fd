package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layers' write mode (issue 17, "first writer overwrites"): {@code backward(..., gx, false)}
 * must store every value of dL/dx and read none of gx's, so into a gx full of NaN it gives what
 * {@code backward(..., gx, true)} adds into zeros (a read of a stale value would leave a NaN, a
 * value left unwritten would stay NaN); likewise Dense's parameters' gradients after {@code
 * overwriteParameterGradients}. Every dL/dx path of Conv2D is taken: the direct kernel (its
 * im2col dx), the per-image passes (implicit GEMM on the Vector API, patches otherwise), strided
 * SAME layers, and the chunked im2col path, where col2im adds overlapping patches.
 */
class OverwriteGradientTest {
    private static final int B = 3;

    /** Runs {@code backward} (given gx and accumulate) into zeros adding, and into NaN overwriting; the two must be equal. */
    private static void assertWritesEveryValue(int[] xShape, java.util.function.BiConsumer<Tensor, Boolean> backward,
            String what) {
        Tensor added = Tensor.zeros(xShape);
        backward.accept(added, true);
        Tensor written = Tensor.zeros(xShape);
        written.fill(Float.NaN);
        backward.accept(written, false);
        // delta 0: equal values, but 0 added to -0 is +0 where the write stores -0
        assertArrayEquals(added.toArray(), written.toArray(), 0f, what + ": dL/dx written equals dL/dx added to zeros");
    }

    private static Tensor random(long seed, int... shape) {
        return Tensor.randn(new Random(seed), shape);
    }

    @Test
    void denseWritesDx() {
        Dense d = new Dense("d", 7, 5, Activation.TANH);
        d.initialize(new Random(1));
        Tensor x = random(2, B, 7);
        Tensor out = Tensor.zeros(B, 5);
        Tensor g = random(3, B, 5);
        d.forward(x, out);
        assertWritesEveryValue(x.shape(), (gx, acc) -> d.backward(x, out, g.copy(), gx, acc), "Dense");
    }

    @Test
    void denseOverwritesItsParameterGradients() {
        Tensor x = random(2, B, 7);
        Tensor g = random(3, B, 5);
        float[][] added = parameterGradients(x, g, false);
        float[][] written = parameterGradients(x, g, true);
        for (int p = 0; p < added.length; p++) {
            assertArrayEquals(added[p], written[p], 0f, "parameter " + p);
        }
    }

    /** Dense's parameter gradients from zeros (adding), or from NaN after overwriteParameterGradients. */
    private static float[][] parameterGradients(Tensor x, Tensor g, boolean overwrite) {
        Dense d = new Dense("d", 7, 5, Activation.RELU);
        d.initialize(new Random(1));
        if (overwrite) {
            d.overwriteParameterGradients();
        }
        for (Parameter p : d.parameters()) {
            p.grad().fill(overwrite ? Float.NaN : 0f);
        }
        Tensor out = Tensor.zeros(B, 5);
        d.forward(x, out);
        d.backward(x, out, g.copy(), null);
        return d.parameters().stream().map(p -> p.grad().toArray()).toArray(float[][]::new);
    }

    @Test
    void layersThatCannotOverwriteTheirParameterGradientsSaySo() {
        Conv2D conv = new Conv2D("c", 5, 5, 1, 4, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
        assertThrows(UnsupportedOperationException.class, conv::overwriteParameterGradients);
    }

    @ParameterizedTest(name = "{0}x{0}x{1} -> {2}, {3}x{3}/{4} {5}, direct {6}, vector {7}")
    @CsvSource({
        "8, 1, 16, 3, 1, VALID, true, true",     // the direct kernel, dx by patches
        "8, 1, 16, 3, 1, VALID, true, false",
        "9, 16, 32, 3, 1, VALID, true, true",    // per image: implicit GEMM on vectors
        "9, 16, 32, 3, 1, SAME, true, false",    // per image on patches
        "9, 3, 8, 3, 2, SAME, true, true",       // strided
        "9, 3, 8, 5, 1, SAME, false, true",      // chunked im2col + GEMM, overlapping patches
        "9, 4, 8, 3, 2, VALID, false, true"})
    void conv2DWritesDxOnEveryPath(int size, int channels, int filters, int kernel, int stride, Padding padding,
            boolean direct, boolean vector) {
        Conv2D conv = new Conv2D("c", size, size, channels, filters, kernel, kernel, stride, stride, padding,
                Activation.RELU);
        conv.useDirect(direct, vector);
        conv.initialize(new Random(1));
        Tensor x = random(2, B, size, size, channels);
        Tensor out = Tensor.zeros(conv.outputShape(x.shape()));
        Tensor g = random(3, out.shape());
        conv.forward(x, out);
        assertWritesEveryValue(x.shape(), (gx, acc) -> conv.backward(x, out, g.copy(), gx, acc), "Conv2D");
    }

    @Test
    void batchNormWritesDxInTrainingAndInference() {
        for (boolean training : new boolean[] {true, false}) {
            BatchNorm bn = new BatchNorm("bn", 12, 0.99, 1e-3);
            bn.initialize(new Random(1));
            Mode mode = new Mode(1);
            if (training) {
                mode.fitting();
            } else {
                mode.inferring();
            }
            bn.useMode(mode, 0);
            Tensor x = random(2, B, 5, 12); // 15 rows: the period's remainder runs the scalar tail
            Tensor out = Tensor.zeros(x.shape());
            Tensor g = random(3, x.shape());
            bn.forward(x, out);
            assertWritesEveryValue(x.shape(), (gx, acc) -> bn.backward(x, g, gx, acc), "BatchNorm, training " + training);
        }
    }

    @ParameterizedTest(name = "pool {0}/{1} {2}, winners recorded {3}")
    @CsvSource({"2, 2, VALID, true", "3, 2, SAME, true", "2, 2, VALID, false", "2, 1, SAME, true"})
    void maxPoolWritesDxZerosBesideTheWinners(int pool, int stride, Padding padding, boolean recorded) {
        MaxPool2D p = new MaxPool2D("p", 7, 7, 4, pool, pool, stride, stride, padding);
        Tensor x = random(2, B, 7, 7, 4);
        Tensor out = Tensor.zeros(p.outputShape(x.shape()));
        Tensor g = random(3, out.shape());
        p.forward(x, out);
        // a copy of x: backward then finds the winners again instead of reading the recorded ones
        Tensor in = recorded ? x : x.copy();
        assertWritesEveryValue(x.shape(), (gx, acc) -> p.backward(in, g, gx, acc), "MaxPool2D");
    }

    @Test
    void dropoutWritesDxInTrainingAndInference() {
        for (boolean training : new boolean[] {true, false}) {
            Dropout drop = new Dropout("drop", 0.4);
            Mode mode = new Mode(1);
            if (training) {
                mode.fitting();
            } else {
                mode.inferring();
            }
            drop.useMode(mode, 0);
            Tensor x = random(2, B, 20);
            Tensor out = Tensor.zeros(x.shape());
            Tensor g = random(3, x.shape());
            drop.forward(x, out);
            assertWritesEveryValue(x.shape(), (gx, acc) -> drop.backward(g, gx, acc), "Dropout, training " + training);
        }
    }

    @Test
    void layerNormWritesDx() {
        LayerNorm ln = new LayerNorm("ln", 6, 1e-3);
        ln.initialize(new Random(1));
        Tensor x = random(2, B, 4, 6);
        Tensor out = Tensor.zeros(x.shape());
        Tensor g = random(3, x.shape());
        ln.forward(x, out);
        assertWritesEveryValue(x.shape(), (gx, acc) -> ln.backward(x, g, gx, acc), "LayerNorm");
    }

    @Test
    void globalPoolingsWriteDx() {
        GlobalPooling[] pools = {new GlobalAvgPool2D("a", 3, 4, 5), new GlobalMaxPool2D("m", 3, 4, 5),
            new GlobalAvgPool1D("a1", 6, 5), new GlobalMaxPool1D("m1", 6, 5)};
        for (GlobalPooling p : pools) {
            int[] shape = p instanceof GlobalAvgPool2D || p instanceof GlobalMaxPool2D ? new int[] {B, 3, 4, 5}
                    : new int[] {B, 6, 5};
            Tensor x = random(2, shape);
            Tensor out = Tensor.zeros(B, 5);
            Tensor g = random(3, B, 5);
            p.forward(x, out);
            assertWritesEveryValue(shape, (gx, acc) -> p.backward(x, g, gx, acc), p.getClass().getSimpleName());
        }
    }

    @ParameterizedTest(name = "pool {0}/{1} {2}")
    @CsvSource({"2, 2, VALID", "3, 2, SAME", "2, 3, VALID"})
    void avgPoolWritesDx(int pool, int stride, Padding padding) {
        AvgPool2D p = new AvgPool2D("p", 7, 7, 4, pool, pool, stride, stride, padding);
        Tensor x = random(2, B, 7, 7, 4);
        Tensor out = Tensor.zeros(p.outputShape(x.shape()));
        Tensor g = random(3, out.shape());
        p.forward(x, out);
        assertWritesEveryValue(x.shape(), (gx, acc) -> p.backward(g, gx, acc), "AvgPool2D");
    }
}
