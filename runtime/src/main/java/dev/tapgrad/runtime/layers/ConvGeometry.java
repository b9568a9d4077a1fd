package dev.tapgrad.runtime.layers;

/**
 * The fixed sizes of one Conv2D layer, shared by its two ways of computing (im2col + GEMM and the
 * direct kernel): input and output sizes, kernel, strides and TensorFlow's SAME padding offsets.
 */
final class ConvGeometry {
    final int height;
    final int width;
    final int channels;
    final int filters;
    final int kernelH;
    final int kernelW;
    final int strideH;
    final int strideW;
    final int outH;
    final int outW;
    final int padTop;
    final int padLeft;
    /** Values per patch, kh·kw·channels: the rows of the (patch, filters) kernel matrix. */
    final int patch;

    ConvGeometry(int height, int width, int channels, int filters, int kernelH, int kernelW, int strideH,
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
    int pixels() {
        return outH * outW;
    }

    /**
     * Copies the patch of output pixel (oy, ox) of image {@code image} into {@code xp[0, patch)},
     * ordered (ky, kx, channel) like the kernel's rows, with zeros where it reads padding.
     */
    void gather(float[] x, int image, int oy, int ox, float[] xp) {
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
    int firstInside(int kx) {
        int need = padLeft - kx;
        return need <= 0 ? 0 : (need + strideW - 1) / strideW;
    }

    /** The last output column whose kernel column kx reads inside the image; may be below firstInside. */
    int lastInside(int kx) {
        int limit = width - 1 + padLeft - kx;
        return limit < 0 ? -1 : Math.min(outW - 1, limit / strideW);
    }
}
