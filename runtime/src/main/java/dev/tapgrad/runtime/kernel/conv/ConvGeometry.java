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
        int run = kernelW * channels;
        if (iy0 >= 0 && ix0 >= 0 && iy0 + kernelH <= height && ix0 + kernelW <= width) {
            // Inside the image: each kernel row is one contiguous run of x.
            int src = ((image * height + iy0) * width + ix0) * channels;
            int rowStep = width * channels;
            for (int ky = 0, q = 0; ky < kernelH; ky++, src += rowStep) {
                for (int j = 0; j < run; j++) {
                    xp[q++] = x[src + j];
                }
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
     * Writes the patches of images [b0, b0 + images) of x into {@code cols} as (patch, rows):
     * value (ky, kx, c) of pixel row r at {@code cols[((ky·kw + kx)·channels + c)·rows + r]}, zeros
     * where padded. For each patch position and image row, the pixels that read inside the image
     * are one strided run of x.
     */
    public void im2col(float[] x, int b0, int images, int rows, float[] cols) {
        walkPatches(x, b0, images, rows, cols, false);
    }

    /** Adds the patch gradients in {@code cols}, (patch, rows) as {@link #im2col} wrote them, to images [b0, b0 + images) of gx. */
    public void col2im(float[] cols, int b0, int images, int rows, float[] gx) {
        walkPatches(gx, b0, images, rows, cols, true);
    }

    /** im2col ({@code add} false: x into cols, zeros for padding) or its adjoint (cols added into x), one walk for both. */
    private void walkPatches(float[] x, int b0, int images, int rows, float[] cols, boolean add) {
        int step = strideW * channels;
        for (int ky = 0; ky < kernelH; ky++) {
            for (int kx = 0; kx < kernelW; kx++) {
                int lo = firstInside(kx);
                int hi = lastInside(kx);
                for (int c = 0; c < channels; c++) {
                    int base = ((ky * kernelW + kx) * channels + c) * rows;
                    for (int b = b0, r = base; b < b0 + images; b++) {
                        for (int oy = 0; oy < outH; oy++, r += outW) {
                            int iy = oy * strideH - padTop + ky;
                            boolean inside = iy >= 0 && iy < height && lo <= hi;
                            int at = ((b * height + iy) * width + lo * strideW - padLeft + kx) * channels + c;
                            if (add) {
                                for (int ox = lo; inside && ox <= hi; ox++, at += step) {
                                    x[at] += cols[r + ox];
                                }
                            } else if (!inside) {
                                Arrays.fill(cols, r, r + outW, 0f);
                            } else {
                                Arrays.fill(cols, r, r + lo, 0f);
                                for (int ox = lo; ox <= hi; ox++, at += step) {
                                    cols[r + ox] = x[at];
                                }
                                Arrays.fill(cols, r + hi + 1, r + outW, 0f);
                            }
                        }
                    }
                }
            }
        }
    }
}
