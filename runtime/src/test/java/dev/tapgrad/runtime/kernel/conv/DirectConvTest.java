package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct convolution's grouping of kernel rows, and the dL/dz of its backward bit for bit
 * against relu's derivative written here; its other results are tested through Conv2D
 * (Conv2DPathsTest).
 */
class DirectConvTest {
    @Test
    void kernelRowsGoInGroupsOf4And5() {
        int[][] cases = {{1, 4}, {3, 4}, {4, 4}, {5, 5}, {6, 8}, {7, 8}, {9, 9}, {11, 12}, {25, 25}, {27, 27}};
        for (int[] c : cases) {
            int padded = DirectConv.roundUpToRowGroups(c[0]);
            assertEquals(c[1], padded, "patch " + c[0]);
            int sum = 0;
            for (int group : DirectConv.rowGroups(padded)) {
                assertTrue(group == 4 || group == 5);
                sum += group;
            }
            assertEquals(padded, sum);
        }
    }

    /**
     * The backward's dL/dz is relu'(out)·(dL/dout + 2·out·scale) bit for bit, +0 where out is not
     * positive (also under a NaN dL/dout: image 1 has one, where vectorised select-free loops
     * such as reluGradient's would give NaN), and the bias gradient its float sum in pixel order
     * per image, then the images in double; no NaN reaches the kernel gradient.
     */
    @Test
    void backwardDzIsReluDerivativeBitForBit() {
        int h = 6, w = 5, f = 16, batch = 3, outH = 4, outW = 3;
        ConvGeometry g = new ConvGeometry(h, w, 1, f, 3, 3, 1, 1, outH, outW, 0, 0);
        DirectConv conv = new DirectConv(g, 1, false);
        conv.ensureBatch(batch);
        Random r = new Random(9);
        float[] x = new float[batch * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        float[] kernel = new float[9 * f];
        conv.loadKernel(kernel);
        int n = outH * outW * f;
        float[] out = new float[batch * n], grad = new float[batch * n];
        float[] zeros = {0f, 0f, 1e-30f, 0.5f, 2f, 3.75f};
        for (int i = 0; i < out.length; i++) {
            out[i] = zeros[r.nextInt(zeros.length)];
            grad[i] = (float) r.nextGaussian();
        }
        out[n + 7] = 0f;
        grad[n + 7] = Float.NaN;
        float scale = 0.01f;
        int[] want = new int[grad.length];
        float[] dbWant = new float[batch * f];
        for (int i = 0; i < grad.length; i++) {
            float dz = out[i] > 0 ? grad[i] + 2 * out[i] * scale : 0f;
            want[i] = Float.floatToRawIntBits(dz);
            dbWant[i / n * f + i % f] += dz;
        }
        conv.backward(x, out, grad, null, false, true, DirectConv.SQUARE, scale, 0, batch, 0);
        int[] got = new int[grad.length];
        for (int i = 0; i < grad.length; i++) {
            got[i] = Float.floatToRawIntBits(grad[i]);
        }
        assertArrayEquals(want, got, "dL/dz written back into grad");
        float[] kernelGrad = new float[9 * f], biasGrad = new float[f];
        conv.reduce(batch, kernelGrad, biasGrad);
        for (int j = 0; j < f; j++) {
            double s = 0;
            for (int b = 0; b < batch; b++) {
                s += dbWant[b * f + j];
            }
            assertEquals((float) s, biasGrad[j], "bias gradient " + j);
        }
        for (float v : kernelGrad) {
            assertTrue(Float.isFinite(v), "no NaN from the masked dL/dout");
        }
    }

    /**
     * The batch's kernel and bias gradients are each image's own (a batch of one: its float
     * partials exactly) summed in image order in double, bit for bit: the reduction is shared
     * between the threads by columns (a 16 → 32 filter 3×3 layer has 4,640, several chunks), and
     * no column's chain may depend on which thread summed it.
     */
    @Test
    void reductionIsTheImagesSumInImageOrderWhateverThreadSumsAColumn() {
        int h = 7, w = 6, c = 16, f = 32, batch = 5, outH = 5, outW = 4;
        ConvGeometry g = new ConvGeometry(h, w, c, f, 3, 3, 1, 1, outH, outW, 0, 0);
        Random r = new Random(21);
        int in = h * w * c, n = outH * outW * f;
        float[] x = new float[batch * in], out = new float[batch * n], grad = new float[batch * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextFloat() - 0.25f;
            grad[i] = (float) r.nextGaussian();
        }
        float[] kernel = new float[g.patch * f];
        double[] kernelWant = new double[g.patch * f], biasWant = new double[f];
        for (int image = 0; image < batch; image++) {
            DirectConv one = new DirectConv(g, 1, false);
            one.ensureBatch(1);
            one.loadKernel(kernel);
            float[] kg = new float[g.patch * f], bg = new float[f];
            one.backward(java.util.Arrays.copyOfRange(x, image * in, (image + 1) * in),
                    java.util.Arrays.copyOfRange(out, image * n, (image + 1) * n),
                    java.util.Arrays.copyOfRange(grad, image * n, (image + 1) * n), null, false, true,
                    DirectConv.NO_PENALTY, 0f, 0, 1, 0);
            one.reduce(1, kg, bg);
            for (int j = 0; j < kg.length; j++) {
                kernelWant[j] += kg[j];
            }
            for (int j = 0; j < f; j++) {
                biasWant[j] += bg[j];
            }
        }
        DirectConv conv = new DirectConv(g, 1, false);
        conv.ensureBatch(batch);
        conv.loadKernel(kernel);
        conv.backward(x, out, grad, null, false, true, DirectConv.NO_PENALTY, 0f, 0, batch, 0);
        float[] kernelGrad = new float[g.patch * f], biasGrad = new float[f];
        conv.reduce(batch, kernelGrad, biasGrad);
        for (int j = 0; j < kernelGrad.length; j++) {
            assertEquals((float) kernelWant[j], kernelGrad[j], "kernel gradient " + j);
        }
        for (int j = 0; j < f; j++) {
            assertEquals((float) biasWant[j], biasGrad[j], "bias gradient " + j);
        }
    }
}
