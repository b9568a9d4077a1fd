package dev.tapgrad.runtime.layers;

import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * Keras's {@code AveragePooling2D} over channels-last images: each output is the mean of its
 * window, per channel. Under SAME padding a window at the border averages only the values inside
 * the image (TensorFlow's {@code avg_pool}; PyTorch's {@code count_include_pad=False}), so the
 * divisor is the window's count of real positions. Shapes are {@link Pooling2D}'s.
 */
public final class AvgPool2D extends Pooling2D {
    /** One window's per-channel sums, in double; scratch allocated with the layer. */
    private final double[] sums;

    /** An average-pooling layer over (height, width, channels) images; {@code pool} is the window, {@code strides} its step. */
    public AvgPool2D(String name, int height, int width, int channels, int poolH, int poolW, int strideH, int strideW,
            Padding padding) {
        super(name, height, width, channels, poolH, poolW, strideH, strideW, padding);
        this.sums = new double[channels];
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
                int y0 = Math.max(rowStart(oy), 0);
                int y1 = Math.min(rowStart(oy) + poolH, height);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.max(colStart(ox), 0);
                    int x1 = Math.min(colStart(ox) + poolW, width);
                    int dst = ((b * outH + oy) * outW + ox) * channels;
                    double count = (y1 - y0) * (x1 - x0);
                    Arrays.fill(sums, 0);
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int at = ((b * height + y) * width + xx) * channels;
                            for (int c = 0; c < channels; c++) {
                                sums[c] += in[at + c];
                            }
                        }
                    }
                    for (int c = 0; c < channels; c++) {
                        o[dst + c] = (float) (sums[c] / count);
                    }
                }
            }
        }
    }

    /**
     * Adds each output's gradient, divided by its window's count, to every position of the window.
     *
     * @param gOut (B, OH, OW, channels), dL/dout
     * @param gx (B, height, width, channels), dL/dx accumulated into
     */
    public void backward(Tensor gOut, Tensor gx) {
        backward(gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor)}, but with {@code accumulate} false dL/dx overwrites
     * {@code gx}: windows may overlap or leave positions out, so each image's part is zeroed just
     * before its windows add into it, while it is in the cache, instead of in a pass of its own.
     */
    public void backward(Tensor gOut, Tensor gx, boolean accumulate) {
        int batch = check("backward", gx, gOut, null, null);
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        int imageSize = height * width * channels;
        for (int b = 0; b < batch; b++) {
            if (!accumulate) {
                java.util.Arrays.fill(dst, b * imageSize, (b + 1) * imageSize, 0f);
            }
            for (int oy = 0; oy < outH; oy++) {
                int y0 = Math.max(rowStart(oy), 0);
                int y1 = Math.min(rowStart(oy) + poolH, height);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.max(colStart(ox), 0);
                    int x1 = Math.min(colStart(ox) + poolW, width);
                    int src = ((b * outH + oy) * outW + ox) * channels;
                    float inv = (float) (1.0 / ((y1 - y0) * (x1 - x0)));
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int at = ((b * height + y) * width + xx) * channels;
                            for (int c = 0; c < channels; c++) {
                                dst[at + c] += g[src + c] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
