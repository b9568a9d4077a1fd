package dev.tapgrad.runtime.layers;

import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;

/**
 * Keras's {@code MaxPooling2D} over channels-last images: each output is the largest value of its
 * window, per channel (padded positions of SAME are not values). The gradient goes to the first
 * largest value in window order (rows, then columns), as PyTorch's {@code max_pool2d} routes it; a
 * NaN counts as the largest, so it propagates. Shapes are {@link Pooling2D}'s.
 */
public final class MaxPool2D extends Pooling2D {
    /** Per channel, the flat input index of the current window's max; scratch of one window. */
    private final int[] best;

    /** A max-pooling layer over (height, width, channels) images; {@code pool} is the window, {@code strides} its step. */
    public MaxPool2D(String name, int height, int width, int channels, int poolH, int poolW, int strideH, int strideW,
            Padding padding) {
        super(name, height, width, channels, poolH, poolW, strideH, strideW, padding);
        this.best = new int[channels];
    }

    /**
     * @param x (B, height, width, channels)
     * @param out (B, OH, OW, channels); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int batch = check("forward", x, out, null, null);
        float[] in = x.buffer();
        float[] o = out.buffer();
        for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    argmax(in, b, oy, ox);
                    int dst = ((b * outH + oy) * outW + ox) * channels;
                    for (int c = 0; c < channels; c++) {
                        o[dst + c] = in[best[c]];
                    }
                }
            }
        }
    }

    /**
     * Adds each output's gradient to the input position that gave its value (found again in x, so
     * the layer keeps no state between the passes).
     *
     * @param x (B, height, width, channels), the input of the forward call
     * @param gOut (B, OH, OW, channels), dL/dout
     * @param gx (B, height, width, channels), dL/dx accumulated into
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx) {
        int batch = check("backward", x, gOut, null, gx);
        float[] in = x.buffer();
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    argmax(in, b, oy, ox);
                    int src = ((b * outH + oy) * outW + ox) * channels;
                    for (int c = 0; c < channels; c++) {
                        dst[best[c]] += g[src + c];
                    }
                }
            }
        }
    }

    /**
     * Fills {@link #best} with the flat index in x of each channel's first largest value in the
     * window, channels innermost so that the reads run along memory. A NaN beats any number and
     * then stays (the first NaN wins), so the output is NaN as in PyTorch.
     */
    private void argmax(float[] in, int b, int oy, int ox) {
        int y0 = Math.max(rowStart(oy), 0);
        int y1 = Math.min(rowStart(oy) + poolH, height);
        int x0 = Math.max(colStart(ox), 0);
        int x1 = Math.min(colStart(ox) + poolW, width);
        int first = ((b * height + y0) * width + x0) * channels;
        for (int c = 0; c < channels; c++) {
            best[c] = first + c;
        }
        for (int y = y0; y < y1; y++) {
            for (int xx = x0; xx < x1; xx++) {
                int base = ((b * height + y) * width + xx) * channels;
                for (int c = 0; c < channels; c++) {
                    float v = in[base + c];
                    float m = in[best[c]];
                    if (v > m || v != v && m == m) {
                        best[c] = base + c;
                    }
                }
            }
        }
    }
}
