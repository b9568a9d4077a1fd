package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class Conv2DTest {

    @ParameterizedTest(name = "in={0} k={1} s={2} {3} -> {4}")
    @CsvSource({
        "5, 3, 1, VALID, 3", "7, 3, 2, VALID, 3", "8, 3, 2, VALID, 3", "28, 5, 1, VALID, 24", "3, 3, 1, VALID, 1",
        "5, 3, 1, SAME, 5", "5, 3, 2, SAME, 3", "6, 3, 2, SAME, 3", "7, 4, 3, SAME, 3", "1, 3, 1, SAME, 1"})
    void outputSizeFollowsKeras(int in, int kernel, int stride, Padding padding, int expected) {
        assertEquals(expected, Conv2D.outputSize(in, kernel, stride, padding));
    }

    @Test
    void validKernelLargerThanInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2D.outputSize(2, 3, 2, Padding.VALID));
        assertEquals("Conv2D.outputSize: VALID kernel 3 is larger than input 2; use Padding.SAME or a smaller kernel",
                e.getMessage());
    }

    @Test
    void sameWithEvenKernelPadsBottomRightLikeTensorFlow() {
        // 4×4 image 1..16, 2×2 kernel of ones, stride 1, SAME: total padding 1 goes to the bottom/right.
        Conv2D conv = new Conv2D("c", 4, 4, 1, 1, 2, 2, 1, 1, Padding.SAME, Activation.LINEAR);
        conv.kernel().fill(1f);
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        Tensor out = Tensor.zeros(1, 4, 4, 1);
        conv.forward(Tensor.wrap(x, 1, 4, 4, 1), out);
        assertEquals(1 + 2 + 5 + 6, out.get(0, 0, 0, 0));
        assertEquals(4 + 8, out.get(0, 0, 3, 0));
        assertEquals(13 + 14, out.get(0, 3, 0, 0));
        assertEquals(16, out.get(0, 3, 3, 0));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3} filters, kernel {4}x{5}, stride {6}x{7}, {8}")
    @CsvSource({
        "7, 5, 3, 4, 3, 3, 1, 1, VALID", "7, 5, 3, 4, 3, 3, 1, 1, SAME",
        "7, 5, 3, 4, 3, 3, 2, 2, VALID", "7, 5, 3, 4, 3, 3, 2, 2, SAME",
        "6, 8, 2, 3, 3, 2, 2, 1, SAME", "6, 6, 2, 3, 4, 4, 2, 2, SAME",
        "5, 7, 3, 2, 2, 3, 1, 2, VALID", "4, 4, 1, 1, 1, 1, 1, 1, VALID", "9, 4, 2, 5, 5, 3, 3, 2, SAME"})
    void forwardMatchesDirectConvolution(int h, int w, int c, int f, int kh, int kw, int sh, int sw, Padding padding) {
        Random random = new Random(h * 31 + w * 7 + kh + sh);
        Conv2D conv = randomConv(h, w, c, f, kh, kw, sh, sw, padding, Activation.LINEAR, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * h * w * c), 2, h, w, c);
        Tensor out = Tensor.zeros(2, conv.outputHeight(), conv.outputWidth(), f);
        conv.forward(x, out);
        assertDirect(conv, x, out, kh, kw, sh, sw, padding, Activation.LINEAR);
    }

    @Test
    void forwardAppliesTheActivation() {
        Random random = new Random(8);
        Conv2D conv = randomConv(6, 5, 2, 3, 3, 3, 1, 1, Padding.SAME, Activation.RELU, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * 6 * 5 * 2), 2, 6, 5, 2);
        Tensor out = Tensor.zeros(2, 6, 5, 3);
        conv.forward(x, out);
        assertDirect(conv, x, out, 3, 3, 1, 1, Padding.SAME, Activation.RELU);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsMatchCentralDifferencesSameStride2x1(Activation act) {
        checkGradients(act, 5, 4, 2, 3, 3, 2, 2, 1, Padding.SAME);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsMatchCentralDifferencesValidStride1x2(Activation act) {
        checkGradients(act, 5, 6, 2, 3, 2, 3, 1, 2, Padding.VALID);
    }

    @Test
    void batchSpanningSeveralChunksEqualsImageByImage() {
        // 32×32 outputs are 1024 patch rows per image, so a batch of 5 is split into chunks.
        Random random = new Random(9);
        int b = 5;
        Conv2D conv = randomConv(32, 32, 2, 3, 3, 3, 1, 1, Padding.SAME, Activation.TANH, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, b * 32 * 32 * 2), b, 32, 32, 2);
        Tensor out = Tensor.zeros(b, 32, 32, 3);
        conv.forward(x, out);
        assertDirect(conv, x, out, 3, 3, 1, 1, Padding.SAME, Activation.TANH);

        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(x.shape());
        conv.backward(x, out, GradCheck.asTensor(r, out.shape()), gx);
        float[] gk = conv.parameters().get(0).grad().toArray();
        float[] gb = conv.parameters().get(1).grad().toArray();

        Conv2D single = copyOf(conv, 32, 32, 2, 3, 3, 3, 1, 1, Padding.SAME, Activation.TANH);
        int image = 32 * 32 * 2;
        int outImage = 32 * 32 * 3;
        for (int i = 0; i < b; i++) {
            float[] xi = new float[image];
            System.arraycopy(x.buffer(), i * image, xi, 0, image);
            double[] ri = new double[outImage];
            System.arraycopy(r, i * outImage, ri, 0, outImage);
            Tensor xt = Tensor.wrap(xi, 1, 32, 32, 2);
            Tensor ot = Tensor.zeros(1, 32, 32, 3);
            Tensor gxi = Tensor.zeros(1, 32, 32, 2);
            single.forward(xt, ot);
            single.backward(xt, ot, GradCheck.asTensor(ri, 1, 32, 32, 3), gxi);
            for (int j = 0; j < image; j++) {
                assertEquals(gxi.buffer()[j], gx.buffer()[i * image + j], 1e-6, "gx of image " + i);
            }
        }
        float[] sk = single.parameters().get(0).grad().buffer();
        float[] sb = single.parameters().get(1).grad().buffer();
        for (int j = 0; j < gk.length; j++) {
            assertEquals(sk[j], gk[j], 1e-4 * (1 + Math.abs(sk[j])), "kernel grad " + j);
        }
        for (int j = 0; j < gb.length; j++) {
            assertEquals(sb[j], gb[j], 1e-4 * (1 + Math.abs(sb[j])), "bias grad " + j);
        }
    }

    @Test
    void backwardAccumulatesParameterGradsAndGx() {
        Random random = new Random(10);
        Conv2D conv = randomConv(5, 5, 2, 3, 3, 3, 2, 2, Padding.SAME, Activation.SIGMOID, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * 5 * 5 * 2), 2, 5, 5, 2);
        Tensor out = Tensor.zeros(2, 3, 3, 3);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(x.shape());
        conv.forward(x, out);
        conv.backward(x, out, GradCheck.asTensor(r, out.shape()), gx);
        float[] gk1 = conv.parameters().get(0).grad().toArray();
        float[] gb1 = conv.parameters().get(1).grad().toArray();
        float[] gx1 = gx.toArray();
        conv.backward(x, out, GradCheck.asTensor(r, out.shape()), gx);
        float[] gk2 = conv.parameters().get(0).grad().buffer();
        float[] gb2 = conv.parameters().get(1).grad().buffer();
        for (int i = 0; i < gk1.length; i++) {
            assertEquals(2 * gk1[i], gk2[i], 1e-6f * (1 + Math.abs(gk1[i])));
        }
        for (int i = 0; i < gb1.length; i++) {
            assertEquals(2 * gb1[i], gb2[i], 1e-6f * (1 + Math.abs(gb1[i])));
        }
        float[] gx2 = gx.toArray();
        for (int i = 0; i < gx1.length; i++) {
            assertEquals(2 * gx1[i], gx2[i], 1e-6f * (1 + Math.abs(gx1[i])), "gx accumulates");
        }
    }

    @Test
    void parametersAndInitialisationFollowKeras() {
        Conv2D conv = new Conv2D("conv1", 28, 28, 16, 32, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
        conv.bias().fill(1f);
        conv.initialize(new Random(3));
        assertEquals("conv1.kernel", conv.parameters().get(0).name());
        assertEquals("conv1.bias", conv.parameters().get(1).name());
        assertArrayEquals(new int[] {3, 3, 16, 32}, conv.kernel().shape());
        assertArrayEquals(new float[32], conv.bias().buffer());
        double limit = Math.sqrt(6.0 / (9 * 16 + 9 * 32));
        double sumSq = 0;
        for (float v : conv.kernel().buffer()) {
            assertEquals(0, v, limit);
            sumSq += v * v;
        }
        assertEquals(limit * limit / 3, sumSq / conv.kernel().size(), 0.03 * limit * limit);
    }

    @Test
    void wrongShapesAreNamed() {
        Conv2D conv = new Conv2D("c", 6, 5, 2, 3, 3, 3, 2, 2, Padding.SAME, Activation.LINEAR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(1, 5, 6, 2), Tensor.zeros(1, 3, 3, 3)));
        assertEquals("Conv2D c forward: expected x (B, 6, 5, 2) and out (B, 3, 3, 3), got x [1, 5, 6, 2] and out "
                + "[1, 3, 3, 3]", e.getMessage());
        Tensor x = Tensor.zeros(1, 6, 5, 2);
        Tensor out = Tensor.zeros(1, 3, 3, 3);
        assertThrows(IllegalStateException.class, () -> conv.backward(x, out, Tensor.zeros(1, 3, 3, 3), null));
    }

    private static void checkGradients(Activation act, int h, int w, int c, int f, int kh, int kw, int sh, int sw,
            Padding padding) {
        Random random = new Random(70 + act.ordinal() + 13 * sh);
        Conv2D conv;
        Tensor x;
        int b = 2;
        do {
            // Keep every pre-activation at least 0.02 from RELU's kink, so the reference's 1e-6 steps and the float forward stay on one side.
            conv = randomConv(h, w, c, f, kh, kw, sh, sw, padding, act, random);
            x = Tensor.wrap(GradCheck.uniform(random, b * h * w * c), b, h, w, c);
        } while (minAbs(direct(conv, x, kh, kw, sh, sw, padding)) < 0.02);
        int[] outShape = {b, conv.outputHeight(), conv.outputWidth(), f};
        Tensor out = Tensor.zeros(outShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(x.shape());
        conv.forward(x, out);
        conv.backward(x, out, GradCheck.asTensor(r, outShape), gx);
        float[] gk = conv.parameters().get(0).grad().toArray();
        float[] gb = conv.parameters().get(1).grad().toArray();

        int[] xShape = x.shape();
        GradCheck.check(act + " " + padding + " strides " + sh + "x" + sw, new String[] {"kernel", "bias", "x"},
                new float[][] {conv.kernel().buffer(), conv.bias().buffer(), x.buffer()},
                new float[][] {gk, gb, gx.toArray()}, out, r,
                a -> Layers64.conv2d(new T64(a[2], xShape), new T64(a[0], new int[] {kh, kw, c, f}),
                        new T64(a[1], new int[] {f}), sh, sw, padding == Padding.SAME, act), random);
    }

    private static Conv2D randomConv(int h, int w, int c, int f, int kh, int kw, int sh, int sw, Padding padding,
            Activation act, Random random) {
        Conv2D conv = new Conv2D("c", h, w, c, f, kh, kw, sh, sw, padding, act);
        conv.initialize(random);
        float[] bias = conv.bias().buffer();
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (0.3 * random.nextGaussian()); // a zero bias would hide a wrong bias path
        }
        return conv;
    }

    private static Conv2D copyOf(Conv2D conv, int h, int w, int c, int f, int kh, int kw, int sh, int sw,
            Padding padding, Activation act) {
        Conv2D copy = new Conv2D("copy", h, w, c, f, kh, kw, sh, sw, padding, act);
        copy.kernel().copyFrom(conv.kernel());
        copy.bias().copyFrom(conv.bias());
        return copy;
    }

    private static void assertDirect(Conv2D conv, Tensor x, Tensor out, int kh, int kw, int sh, int sw,
            Padding padding, Activation act) {
        double[] z = direct(conv, x, kh, kw, sh, sw, padding);
        assertEquals(z.length, out.size());
        for (int i = 0; i < z.length; i++) {
            double expected = act == Activation.RELU ? Math.max(z[i], 0)
                    : act == Activation.TANH ? Math.tanh(z[i]) : z[i];
            assertEquals(expected, out.buffer()[i], 1e-5, "out[" + i + "]");
        }
    }

    /**
     * The pre-activation by direct cross-correlation in double. SAME padding as TensorFlow: the
     * output is ceil(in / stride), the total padding max((out - 1)·stride + k - in, 0), the smaller
     * half at the top/left.
     */
    private static double[] direct(Conv2D conv, Tensor x, int kh, int kw, int sh, int sw, Padding padding) {
        int b = x.dim(0);
        int h = x.dim(1);
        int w = x.dim(2);
        int c = x.dim(3);
        int f = conv.bias().size();
        int oh = padding == Padding.SAME ? (int) Math.ceil(h / (double) sh) : (h - kh) / sh + 1;
        int ow = padding == Padding.SAME ? (int) Math.ceil(w / (double) sw) : (w - kw) / sw + 1;
        int top = padding == Padding.SAME ? Math.max((oh - 1) * sh + kh - h, 0) / 2 : 0;
        int left = padding == Padding.SAME ? Math.max((ow - 1) * sw + kw - w, 0) / 2 : 0;
        double[] z = new double[b * oh * ow * f];
        for (int n = 0; n < b; n++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int o = 0; o < f; o++) {
                        double s = conv.bias().get(o);
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * sh + ky - top;
                                int ix = ox * sw + kx - left;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                for (int ci = 0; ci < c; ci++) {
                                    s += (double) x.get(n, iy, ix, ci) * conv.kernel().get(ky, kx, ci, o);
                                }
                            }
                        }
                        z[((n * oh + oy) * ow + ox) * f + o] = s;
                    }
                }
            }
        }
        return z;
    }

    private static double minAbs(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double e : v) {
            m = Math.min(m, Math.abs(e));
        }
        return m;
    }

    /**
     * A batch too large for one chunk of patches (5 images of 64×64×8 with a 3×3 kernel: 2.9 M patch
     * values, chunks of 3 images) gives what each image gives alone: the same outputs and input
     * gradients, and kernel and bias gradients that sum the images'.
     */
    @Test
    void chunkedBatchMatchesImagesOneByOne() {
        Random r = new Random(8);
        int b = 5;
        Conv2D conv = new Conv2D("c", 64, 64, 8, 4, 3, 3, 1, 1, Padding.SAME, Activation.RELU);
        conv.initialize(r);
        Tensor x = Tensor.randn(r, b, 64, 64, 8);
        Tensor g = Tensor.randn(r, b, 64, 64, 4);
        Tensor out = Tensor.zeros(b, 64, 64, 4);
        Tensor gx = Tensor.zeros(b, 64, 64, 8);
        conv.forward(x, out);
        Tensor gCopy = g.copy();
        conv.backward(x, out, gCopy, gx);
        float[] kernelGrad = conv.parameters().get(0).grad().toArray();
        float[] biasGrad = conv.parameters().get(1).grad().toArray();

        int image = 64 * 64 * 8;
        int outImage = 64 * 64 * 4;
        float[] kernelSum = new float[kernelGrad.length];
        float[] biasSum = new float[biasGrad.length];
        for (int i = 0; i < b; i++) {
            conv.parameters().forEach(p -> p.grad().fill(0f));
            Tensor xi = Tensor.of(java.util.Arrays.copyOfRange(x.buffer(), i * image, (i + 1) * image), 1, 64, 64, 8);
            Tensor gi = Tensor.of(java.util.Arrays.copyOfRange(g.buffer(), i * outImage, (i + 1) * outImage), 1, 64, 64, 4);
            Tensor oi = Tensor.zeros(1, 64, 64, 4);
            Tensor gxi = Tensor.zeros(1, 64, 64, 8);
            conv.forward(xi, oi);
            conv.backward(xi, oi, gi, gxi);
            assertArrayEquals(oi.buffer(), java.util.Arrays.copyOfRange(out.buffer(), i * outImage, (i + 1) * outImage), 0f);
            assertArrayEquals(gxi.buffer(), java.util.Arrays.copyOfRange(gx.buffer(), i * image, (i + 1) * image), 0f);
            float[] kg = conv.parameters().get(0).grad().buffer();
            float[] bg = conv.parameters().get(1).grad().buffer();
            for (int j = 0; j < kg.length; j++) {
                kernelSum[j] += kg[j];
            }
            for (int j = 0; j < bg.length; j++) {
                biasSum[j] += bg[j];
            }
        }
        for (int j = 0; j < kernelGrad.length; j++) {
            assertEquals(kernelSum[j], kernelGrad[j], 1e-4 * (1 + Math.abs(kernelSum[j])), "kernel grad " + j);
        }
        for (int j = 0; j < biasGrad.length; j++) {
            assertEquals(biasSum[j], biasGrad[j], 1e-4 * (1 + Math.abs(biasSum[j])), "bias grad " + j);
        }
    }
}
