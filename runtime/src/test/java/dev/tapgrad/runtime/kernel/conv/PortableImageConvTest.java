package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapgrad.runtime.kernel.Platform;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PortableImageConv against ImageConv's im2col + GEMM passes on the same layer: forward outputs,
 * penalty sums and kernel and bias gradients are summed in the same order, so on FMA hardware
 * they are the same bits; dL/dx is summed in another order (the flipped kernel over dL/dz, not
 * patch gradients and col2im), so it is compared within float rounding (its float64 bound is
 * Conv2DPathsTest's). Several images per product must not change any image's result: every
 * batch is also run one image per call.
 */
class PortableImageConvTest {
    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, kernel {4}x{5}, pad {6}/{7}, B={8}")
    @CsvSource({
        "26, 26, 16, 32, 3, 3, 0, 0, 2",   // twoconv64's second layer: one image per product
        "13, 13, 32, 64, 3, 3, 0, 0, 6",   // convnet128's second layer: four images per product, a group of 2 left
        "7, 9, 20, 12, 3, 3, 1, 1, 5",     // SAME padding, filters not a multiple of 4
        "6, 5, 12, 7, 2, 3, 0, 1, 3"})     // an even kernel, padding on one side only
    void matchesTheIm2colPasses(int h, int w, int c, int f, int kh, int kw, int padTop, int padLeft, int batch) {
        assumeTrue(Platform.FMA, "same bits only where Math.fma is one rounding in both");
        int outH = h + 2 * padTop - kh + 1, outW = w + 2 * padLeft - kw + 1;
        if (padTop > 0 || padLeft > 0) {
            // SAME: output as large as the input, the extra padding below and right.
            outH = h;
            outW = w;
        }
        ConvGeometry g = new ConvGeometry(h, w, c, f, kh, kw, 1, 1, outH, outW, padTop, padLeft);
        Random r = new Random(17);
        float[] x = random(r, batch * h * w * c);
        float[] kernel = random(r, g.patch * f);
        float[] bias = random(r, f);
        int outSize = batch * g.pixels() * f;
        float[] grad = random(r, outSize);

        ImageConv reference = new ImageConv(g, 1);
        PortableImageConv portable = new PortableImageConv(g, 1, false); // the direct products: WinogradRowsTest has the other path
        assertTrue(portable.imagesPerCall() >= 1);
        reference.loadKernel(kernel);
        portable.loadKernel(kernel);
        for (int penalty : new int[] {DirectConv.NO_PENALTY, DirectConv.SQUARE, DirectConv.ABS}) {
            float[] outRef = new float[outSize];
            double[] sumsRef = new double[batch];
            reference.forward(x, bias, outRef, 0f, penalty, 0, batch, 0, sumsRef);
            float[] out = new float[outSize];
            double[] sums = new double[batch];
            portable.forward(x, bias, out, 0f, penalty, 0, batch, 0, sums);
            assertArrayEquals(outRef, out, "forward, penalty " + penalty);
            assertArrayEquals(sumsRef, sums, "penalty sums " + penalty);
            float[] outOne = new float[outSize];
            double[] sumsOne = new double[batch];
            for (int i = 0; i < batch; i++) {
                portable.forward(x, bias, outOne, 0f, penalty, i, i + 1, 0, sumsOne);
            }
            assertArrayEquals(out, outOne, "forward one image per call");
            assertArrayEquals(sums, sumsOne, "penalty sums one image per call");

            int parts = batch * (g.patch * f + f);
            float[] partsRef = new float[parts];
            float[] gxRef = new float[x.length];
            reference.backward(x, outRef, grad.clone(), gxRef, true, true, penalty, 0.01f, 0, batch, 0, partsRef);
            float[] partsNew = new float[parts];
            float[] gx = new float[x.length];
            java.util.Arrays.fill(gx, Float.NaN); // the write mode (accumulate false) must store every value
            portable.backward(x, out, grad.clone(), gx, false, true, penalty, 0.01f, 0, batch, 0, partsNew);
            assertArrayEquals(partsRef, partsNew, "kernel and bias gradients, penalty " + penalty);
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < gx.length; i++) {
                worst = Math.max(worst, Math.abs(gx[i] - gxRef[i]));
                scale = Math.max(scale, Math.abs(gxRef[i]));
            }
            assertTrue(scale > 0, "dL/dx is not all zero");
            // Sums of at most kh·kw·filters products of values below 1, each within 2^-24 relative.
            assertTrue(worst <= 1e-5 * scale, "dL/dx differs by " + worst + " at scale " + scale);

            float[] partsOne = new float[parts];
            float[] gxOne = new float[x.length];
            for (int i = 0; i < batch; i++) {
                float[] gr = grad.clone();
                portable.backward(x, out, gr, gxOne, true, true, penalty, 0.01f, i, i + 1, 0, partsOne);
            }
            assertArrayEquals(partsNew, partsOne, "kernel and bias gradients one image per call");
            assertArrayEquals(gx, gxOne, "dL/dx one image per call");
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }
}
