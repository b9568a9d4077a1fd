package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.conv.ConvGeometry;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import dev.tapgrad.runtime.kernel.math.Activations;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
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
    /** The first image of the chunk the parallel passes below are working on. */
    private int chunkStart;
    /**
     * im2col, its adjoint and the bias + floor pass, each over images [from, to) of a call, shared
     * between the {@link ParallelFor} workers: each image's patch rows, output rows and dL/dx lie
     * apart from every other image's, so the threads write disjoint ranges and the result is the
     * same bits for any number of threads. (On one core they took a tenth of mnist_convnet's step
     * while the GEMMs around them ran on two.)
     */
    private final ParallelFor.ArrayBody im2colBody;
    private final ParallelFor.ArrayBody col2imBody;
    private final ParallelFor.ArrayBody biasFloorBody;

    Im2colConv(ConvGeometry geometry) {
        this.geometry = geometry;
        this.biasSums = new double[geometry.filters];
        int pixels = geometry.outH * geometry.outW;
        this.im2colBody = (x, c, unused, value, from, to, slot) ->
                geometry.im2col(x, chunkStart + from, to - from, c, from * pixels);
        int imageSize = geometry.height * geometry.width * geometry.channels;
        // value 0 asks for the images' part of gx to be zeroed first, by the thread that adds into it
        this.col2imBody = (c, gx, unused, value, from, to, slot) -> {
            if (value == 0f) {
                java.util.Arrays.fill(gx, (chunkStart + from) * imageSize, (chunkStart + to) * imageSize, 0f);
            }
            geometry.col2im(c, from * pixels, chunkStart + from, to - from, gx);
        };
        this.biasFloorBody = (target, bv, unused, floor, from, to, slot) ->
                addBiasAndFloor(target, bv, floor, from * pixels, to * pixels);
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
            chunkStart = b0;
            ParallelFor.run(images, 1, im2colBody, in, cols, null, 0f);
            float[] dst = whole ? target : chunkOut;
            Gemm.gemm(false, false, rows, f, geometry.patch, cols, kernel, dst, false);
            if (!whole) {
                System.arraycopy(chunkOut, 0, target, b0 * pixels * f, rows * f);
            }
        }
        ParallelFor.run(b, 1, biasFloorBody, target, bv, null, floor);
    }

    /** Rows [from, to) of the (rows, filters) output become {@code max(value + bias, floor)}. */
    private void addBiasAndFloor(float[] target, float[] bv, float floor, int from, int to) {
        int f = geometry.filters;
        for (int r = from; r < to; r++) {
            int off = r * f;
            for (int j = 0; j < f; j++) {
                target[off + j] = Math.max(target[off + j] + bv[j], floor);
            }
        }
    }

    /**
     * From dL/dz {@code g} of the whole batch, adds the kernel gradient to {@code kernelGrad} when
     * {@code weights} (the direct path computes its own) and dL/dx to {@code gx} unless it is null,
     * a chunk at a time. Without {@code accumulate} gx is overwritten: each image's part is zeroed
     * just before col2im adds its overlapping patches into it, in the same thread and cache.
     */
    void backward(float[] in, int b, float[] g, float[] kernel, float[] kernelGrad, boolean weights, float[] gx,
            boolean accumulate) {
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
                chunkStart = b0;
                ParallelFor.run(images, 1, im2colBody, in, cols, null, 0f);
                Gemm.gemm(true, false, geometry.patch, geometry.filters, rows, cols, gChunk, kernelGrad, true);
            }
            if (gx != null) {
                // The patches are no longer needed, so their buffer takes the patch gradients, (rows, patch).
                Gemm.gemm(false, true, rows, geometry.patch, geometry.filters, gChunk, kernel, cols, false);
                chunkStart = b0;
                ParallelFor.run(images, 1, col2imBody, cols, gx, null, accumulate ? 1f : 0f);
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
