package dev.tapgrad.runtime.layers;

import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;

/**
 * Keras's {@code MaxPooling2D} over channels-last images: each output is the largest value of its
 * window, per channel (padded positions of SAME are not values). The gradient goes to the first
 * largest value in window order (rows, then columns), as PyTorch's {@code max_pool2d} routes it; a
 * NaN counts as the largest, so it propagates. Shapes are {@link Pooling2D}'s.
 */
public final class MaxPool2D extends Pooling2D {
    /** Per channel, the flat input index of the current window's max; scratch of one window. */
    private final int[] best;
    /** Per output value of the latest forward, the flat index in x of its window's winner; grown to the batch. */
    private int[] winners = new int[0];
    /** The input buffer and batch of the latest forward, whose winners backward may use. */
    private float[] lastInput;
    private int lastBatch = -1;
    private final ParallelFor.ArrayBody forwardBody = (in, o, unused, value, from, to, slot) ->
            forwardImages(in, o, from, to);
    private final ParallelFor.ArrayBody backwardBody = (g, dst, unused, value, from, to, slot) ->
            backwardImages(g, dst, from, to);

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
        if (winners.length < batch * outH * outW * channels) {
            // Scratch sized per batch size: allocated by the first batch, reused by every later step.
            winners = new int[batch * outH * outW * channels];
        }
        ParallelFor.run(batch, 1, forwardBody, x.buffer(), out.buffer(), null, 0f);
        lastInput = x.buffer();
        lastBatch = batch;
    }

    /**
     * Images [from, to) of the forward pass: each output is the running maximum of its window,
     * read straight along the channels of each window position (no index indirection in the
     * loop), with the winner's flat index in x kept for the backward pass.
     */
    private void forwardImages(float[] in, float[] o, int from, int to) {
        int[] win = winners;
        for (int b = from; b < to; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int y0 = Math.max(rowStart(oy), 0);
                int y1 = Math.min(rowStart(oy) + poolH, height);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.max(colStart(ox), 0);
                    int x1 = Math.min(colStart(ox) + poolW, width);
                    int dst = ((b * outH + oy) * outW + ox) * channels;
                    int first = ((b * height + y0) * width + x0) * channels;
                    for (int c = 0; c < channels; c++) {
                        o[dst + c] = in[first + c];
                        win[dst + c] = first + c;
                    }
                    for (int y = y0; y < y1; y++) {
                        for (int xx = y == y0 ? x0 + 1 : x0; xx < x1; xx++) {
                            int base = ((b * height + y) * width + xx) * channels;
                            for (int c = 0; c < channels; c++) {
                                float v = in[base + c];
                                float m = o[dst + c];
                                // First largest in window order; a NaN beats any number, then the first NaN stays.
                                if (v > m || v != v && m == m) {
                                    o[dst + c] = v;
                                    win[dst + c] = base + c;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds each output's gradient to the input position that gave its value: the winner the
     * forward pass recorded when this is the input of the latest forward call, else found again
     * in x.
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
        if (in == lastInput && batch == lastBatch) {
            // Each image's windows lie in that image, so the images can be shared between threads.
            ParallelFor.run(batch, 1, backwardBody, g, dst, null, 0f);
            return;
        }
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

    /** Images [from, to) of the backward pass from the recorded winners, outputs in order as the rescan computes them. */
    private void backwardImages(float[] g, float[] dst, int from, int to) {
        int[] win = winners;
        int per = outH * outW * channels;
        for (int i = from * per, end = to * per; i < end; i++) {
            dst[win[i]] += g[i];
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
