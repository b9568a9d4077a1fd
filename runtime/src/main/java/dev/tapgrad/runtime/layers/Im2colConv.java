package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.conv.ConvGeometry;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import dev.tapgrad.runtime.kernel.math.Activations;
import java.util.Arrays;

/**
 * {@link Conv2D}'s im2col + GEMM path and the scratch it needs: the forward pre-activation, the
 * bias gradient (with relu's derivative in the same pass), and the chunked backward that gives the
 * kernel gradient and dL/dx. The patches of a chunk are stored one row per output pixel,
 * (chunkImages·OH·OW, patch): each kernel row of a pixel is then one contiguous run of the
 * channels-last image, so im2col and its adjoint are copies and adds along memory rather than
 * strided gathers (which took a quarter of mnist_convnet's step when the patches were stored
 * transposed); the GEMMs read them as (rows, patch) or, for the kernel gradient, transposed. The
 * direct path borrows the same buffer for dL/dx only. Scratch is reallocated only when the batch size changes.
 */
final class Im2colConv {
    /** At most this many patch values per chunk (4 MB): the whole batch when the patches are small. */
    private static final int CHUNK_VALUES = 1 << 20;

    private final ConvGeometry geometry;
    private final double[] biasSums;
    private int chunkImages;
    /** Patches of one chunk, (chunkImages·OH·OW, patch); in backward also their gradient. */
    private float[] cols = new float[0];
    /** One chunk's GEMM output or gradient, (chunkImages·OH·OW, filters); unused when one chunk holds the batch. */
    private float[] chunkOut = new float[0];

    Im2colConv(ConvGeometry geometry) {
        this.geometry = geometry;
        this.biasSums = new double[geometry.filters];
    }

    /**
     * Sizes the chunks and their scratch for a batch of {@code b}; the patch buffer only when
     * {@code patches}, since the direct path needs it only for dx, which the first layer of a model
     * skips ({@link #ensurePatches} allocates it then).
     */
    void ensureBatch(int b, boolean patches) {
        int pixels = geometry.outH * geometry.outW;
        chunkImages = Math.max(1, Math.min(b, CHUNK_VALUES / (pixels * geometry.patch)));
        cols = patches ? new float[chunkImages * pixels * geometry.patch] : new float[0];
        chunkOut = chunkImages >= b ? new float[0] : new float[chunkImages * pixels * geometry.filters];
    }

    /** Allocates the patch buffer if {@link #ensureBatch} left it out: once, the first backward that needs dx. */
    void ensurePatches() {
        if (cols.length == 0) {
            cols = new float[chunkImages * geometry.outH * geometry.outW * geometry.patch];
        }
    }

    /**
     * {@code max(conv(x) + bias, floor)} of the whole batch into {@code target}, by im2col + GEMM:
     * floor 0 is relu, −∞ the pre-activation (Math.max keeps NaN). The GEMM overwrites rather than
     * adding to a bias-filled output, and the bias and floor follow in one pass over it, so the
     * output is not filled first and the GEMM's tiles are not read back in.
     */
    void forward(float[] in, int b, float[] bv, float[] kernel, float[] target, float floor) {
        int pixels = geometry.outH * geometry.outW;
        int f = geometry.filters;
        boolean whole = chunkImages >= b;
        for (int b0 = 0; b0 < b; b0 += chunkImages) {
            int images = Math.min(chunkImages, b - b0);
            int rows = images * pixels;
            geometry.im2col(in, b0, images, rows, cols);
            float[] dst = whole ? target : chunkOut;
            Gemm.gemm(false, false, rows, f, geometry.patch, cols, kernel, dst, false);
            if (!whole) {
                System.arraycopy(chunkOut, 0, target, b0 * pixels * f, rows * f);
            }
        }
        for (int r = 0, n = b * pixels; r < n; r++) {
            int off = r * f;
            for (int j = 0; j < f; j++) {
                target[off + j] = Math.max(target[off + j] + bv[j], floor);
            }
        }
    }

    /**
     * From dL/dz {@code g} of the whole batch, adds the kernel gradient to {@code kernelGrad} when
     * {@code weights} (the direct path computes its own) and dL/dx to {@code gx} unless it is null,
     * a chunk at a time.
     */
    void backward(float[] in, int b, float[] g, float[] kernel, float[] kernelGrad, boolean weights, float[] gx) {
        int pixels = geometry.outH * geometry.outW;
        boolean whole = chunkImages >= b;
        for (int b0 = 0; b0 < b; b0 += chunkImages) {
            int images = Math.min(chunkImages, b - b0);
            int rows = images * pixels;
            float[] gChunk = g;
            if (!whole) {
                System.arraycopy(g, b0 * pixels * geometry.filters, chunkOut, 0, rows * geometry.filters);
                gChunk = chunkOut;
            }
            if (weights) {
                geometry.im2col(in, b0, images, rows, cols);
                Gemm.gemm(true, false, geometry.patch, geometry.filters, rows, cols, gChunk, kernelGrad, true);
            }
            if (gx != null) {
                // The patches are no longer needed, so their buffer takes the patch gradients, (rows, patch).
                Gemm.gemm(false, true, rows, geometry.patch, geometry.filters, gChunk, kernel, cols, false);
                geometry.col2im(cols, b0, images, rows, gx);
            }
        }
    }

    /**
     * Relu's derivative and the bias gradient in one pass over the (rows, filters) gradient: g is
     * masked where out is not positive (out > 0 exactly when z > 0, since out = max(z, 0); 0 at
     * 0 and for NaN, like {@link Activations#backward}), and summed per filter in double into {@code gb}.
     */
    void reluBackwardWithBiasGradient(float[] out, float[] g, int rows, float[] gb) {
        Arrays.fill(biasSums, 0);
        for (int r = 0; r < rows; r++) {
            int off = r * geometry.filters;
            for (int f = 0; f < geometry.filters; f++) {
                // The branch-free mask of Activations.backward: the sign is a coin flip.
                int k = Float.floatToRawIntBits(out[off + f]) - 1;
                int m = (k >> 31) | ((0x7f7fffff - k) >> 31);
                float v = Float.intBitsToFloat(Float.floatToRawIntBits(g[off + f]) & ~m);
                g[off + f] = v;
                biasSums[f] += v;
            }
        }
        for (int f = 0; f < geometry.filters; f++) {
            gb[f] += (float) biasSums[f];
        }
    }

    /** The bias gradient, dL/dz {@code g} summed per filter in double, added to {@code gb}. */
    void addBiasGradient(float[] g, int rows, float[] gb) {
        Arrays.fill(biasSums, 0);
        for (int r = 0; r < rows; r++) {
            int off = r * geometry.filters;
            for (int f = 0; f < geometry.filters; f++) {
                biasSums[f] += g[off + f];
            }
        }
        for (int f = 0; f < geometry.filters; f++) {
            gb[f] += (float) biasSums[f];
        }
    }
}
