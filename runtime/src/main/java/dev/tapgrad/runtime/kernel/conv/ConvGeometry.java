package dev.tapgrad.runtime.kernel.conv;

import java.util.Arrays;

/**
 * The fixed sizes of one Conv2D layer, shared by its two ways of computing (im2col + GEMM and the
 * direct kernel): input and output sizes, kernel, strides and TensorFlow's SAME padding offsets,
 * with the loops that walk them (a patch, im2col and its adjoint). Kernel geometry rather than layer
 * configuration: the layer's configuration is Conv2D's constructor; this is what the kernels index
 * by. A kernel, not user API: public for {@code layers.Conv2D}.
 */
public final class ConvGeometry {
    /** Input height. */
    public final int height;
    /** Input width. */
    public final int width;
    /** Input channels. */
    public final int channels;
    /** Output channels. */
    public final int filters;
    /** Kernel height. */
    public final int kernelH;
    /** Kernel width. */
    public final int kernelW;
    /** Vertical stride. */
    public final int strideH;
    /** Horizontal stride. */
    public final int strideW;
    /** Output height. */
    public final int outH;
    /** Output width. */
    public final int outW;
    /** Rows of padding above the image (SAME). */
    public final int padTop;
    /** Columns of padding left of the image (SAME). */
    public final int padLeft;
    /** Values per patch, kh·kw·channels: the rows of the (patch, filters) kernel matrix. */
    public final int patch;
    /**
     * A patch inside the image as offsets from its first value in x, in the kernel's row order:
     * {@link #gather}'s one loop over them is about twice as fast as a loop per kernel row, whose
     * runs are 3 values for a 3×3 kernel over one channel (measured, JDK 17).
     */
    private final int[] interior;

    /** The sizes of a layer; {@code outH, outW} and the padding offsets as the layer computed them. */
    public ConvGeometry(int height, int width, int channels, int filters, int kernelH, int kernelW, int strideH,
            int strideW, int outH, int outW, int padTop, int padLeft) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.filters = filters;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.outH = outH;
        this.outW = outW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.patch = kernelH * kernelW * channels;
        this.interior = new int[patch];
        for (int ky = 0, q = 0; ky < kernelH; ky++) {
            for (int j = 0; j < kernelW * channels; j++) {
                interior[q++] = ky * width * channels + j;
            }
        }
    }

    /** Output pixels per image, OH·OW. */
    public int pixels() {
        return outH * outW;
    }

    /**
     * Copies the patch of output pixel (oy, ox) of image {@code image} into {@code xp[0, patch)},
     * ordered (ky, kx, channel) like the kernel's rows, with zeros where it reads padding.
     */
    public void gather(float[] x, int image, int oy, int ox, float[] xp) {
        int iy0 = oy * strideH - padTop;
        int ix0 = ox * strideW - padLeft;
        if (iy0 >= 0 && ix0 >= 0 && iy0 + kernelH <= height && ix0 + kernelW <= width) {
            // Inside the image: each kernel row is one contiguous run of x.
            int src = ((image * height + iy0) * width + ix0) * channels;
            int[] at = interior;
            for (int q = 0; q < at.length; q++) {
                xp[q] = x[src + at[q]];
            }
            return;
        }
        for (int ky = 0, q = 0; ky < kernelH; ky++) {
            int iy = iy0 + ky;
            for (int kx = 0; kx < kernelW; kx++) {
                int ix = ix0 + kx;
                boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                int src = ((image * height + iy) * width + ix) * channels;
                for (int c = 0; c < channels; c++) {
                    xp[q++] = inside ? x[src + c] : 0f;
                }
            }
        }
    }

    /** The first output column whose kernel column kx reads inside the image: ox·sw − padLeft + kx ≥ 0. */
    public int firstInside(int kx) {
        int need = padLeft - kx;
        return need <= 0 ? 0 : (need + strideW - 1) / strideW;
    }

    /** The last output column whose kernel column kx reads inside the image; may be below firstInside. */
    public int lastInside(int kx) {
        int limit = width - 1 + padLeft - kx;
        return limit < 0 ? -1 : Math.min(outW - 1, limit / strideW);
    }

    /**
     * Writes the patches of images [b0, b0 + images) of x into {@code cols} as (rows, patch), one
     * row per output pixel ordered (ky, kx, channel) like the kernel's rows, zeros where padded:
     * value (ky, kx, c) of pixel row r at {@code cols[r·patch + (ky·kw + kx)·channels + c]}. Each
     * kernel row of a pixel inside the image is one contiguous run of x (kw·channels values at
     * stride 1), so the walk is a few array copies per pixel. The first image's first row is row
     * {@code firstRow} of cols, so that threads can each write the rows of their own images.
     */
    public void im2col(float[] x, int b0, int images, float[] cols, int firstRow) {
        walkPatches(x, b0, images, cols, firstRow * patch, false);
    }

    /**
     * Adds the patch gradients in {@code cols}, (rows, patch) as {@link #im2col} wrote them from
     * {@code firstRow} on, to images [b0, b0 + images) of gx.
     */
    public void col2im(float[] cols, int firstRow, int b0, int images, float[] gx) {
        walkPatches(gx, b0, images, cols, firstRow * patch, true);
    }

    /** im2col ({@code add} false: x into cols, zeros for padding) or its adjoint (cols added into x), one walk for both. */
    private void walkPatches(float[] x, int b0, int images, float[] cols, int first, boolean add) {
        int run = kernelW * channels;
        int r = first;
        for (int b = b0; b < b0 + images; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int iy0 = oy * strideH - padTop;
                for (int ox = 0; ox < outW; ox++, r += patch) {
                    int ix0 = ox * strideW - padLeft;
                    boolean rowsInside = ix0 >= 0 && ix0 + kernelW <= width;
                    for (int ky = 0; ky < kernelH; ky++) {
                        int iy = iy0 + ky;
                        int q = r + ky * run;
                        if (iy < 0 || iy >= height) {
                            if (!add) {
                                Arrays.fill(cols, q, q + run, 0f);
                            }
                            continue;
                        }
                        int src = ((b * height + iy) * width + ix0) * channels;
                        if (rowsInside) {
                            copyOrAdd(x, src, cols, q, run, add);
                            continue;
                        }
                        for (int kx = 0; kx < kernelW; kx++, q += channels, src += channels) {
                            int ix = ix0 + kx;
                            if (ix >= 0 && ix < width) {
                                copyOrAdd(x, src, cols, q, channels, add);
                            } else if (!add) {
                                Arrays.fill(cols, q, q + channels, 0f);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code cols[q, q + n) = x[src, src + n)}, or {@code x[src …] += cols[q …]} when {@code add}. */
    private static void copyOrAdd(float[] x, int src, float[] cols, int q, int n, boolean add) {
        if (add) {
            for (int i = 0; i < n; i++) {
                x[src + i] += cols[q + i];
            }
        } else {
            System.arraycopy(x, src, cols, q, n);
        }
    }
}
