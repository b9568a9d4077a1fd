package dev.tapgrad.runtime.layers;

import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.conv.MaxPoolWindows;
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
    /** Per {@link ParallelFor} slot, per channel: the current window's best {@link #candidate} so far. */
    private final long[][] bestCandidates;
    /** Per output value of the latest forward, the flat index in x of its window's winner; grown to the batch. */
    private int[] winners = new int[0];
    /** The input buffer and batch of the latest forward, whose winners backward may use. */
    private float[] lastInput;
    private int lastBatch = -1;
    /** Whether the current forward runs on {@link MaxPoolWindows}' vectors (decided per call, read by its workers). */
    private boolean vectorWindows;
    /**
     * Where every window is 2×2, apart from the others and inside the image (pool and strides 2,
     * VALID or SAME without padding; an odd last row or column is dropped), their own path, which
     * records each winner as its position 0…3 instead of a flat index; else null.
     */
    private final MaxPoolPairs pairs;
    private final ParallelFor.ArrayBody forwardBody = (in, o, unused, value, from, to, slot) ->
            forwardImages(in, o, from, to, slot);
    /** value 0: the images' part of dst is zeroed first (the backward overwrites gx), by the thread that then scatters into it. */
    private final ParallelFor.ArrayBody backwardBody = (g, dst, unused, value, from, to, slot) ->
            backwardImages(g, dst, from, to, value != 0f, slot);

    /** A max-pooling layer over (height, width, channels) images; {@code pool} is the window, {@code strides} its step. */
    public MaxPool2D(String name, int height, int width, int channels, int poolH, int poolW, int strideH, int strideW,
            Padding padding) {
        super(name, height, width, channels, poolH, poolW, strideH, strideW, padding);
        this.best = new int[channels];
        this.bestCandidates = new long[ParallelFor.slots()][channels];
        boolean pairWindows = poolH == 2 && poolW == 2 && strideH == 2 && strideW == 2 && rowStart(0) >= 0
                && colStart(0) >= 0 && rowStart(outH - 1) + 2 <= height && colStart(outW - 1) + 2 <= width;
        this.pairs = pairWindows ? new MaxPoolPairs(height, width, channels, outH, outW, rowStart(0), colStart(0)) : null;
    }

    /**
     * A copy with this layer's channels, window and strides over one small VALID image, when the
     * forward runs on {@link MaxPoolWindows}' vectors: they are a Java fallback, many times slower
     * and allocating, until C2 compiles them. The window walk is the same for any image size and
     * padding, so one copy per channels, window and strides warms every such layer.
     */
    @Override
    public WarmUp warmUp() {
        if (!MaxPoolWindows.suits(channels)) {
            return null;
        }
        int h = poolH + 3 * strideH;
        int w = poolW + 3 * strideW;
        MaxPool2D copy = new MaxPool2D(name() + ".warmup", h, w, channels, poolH, poolW, strideH, strideW, Padding.VALID);
        Tensor x = Tensor.randn(new java.util.Random(2), 1, h, w, channels);
        Tensor out = Tensor.zeros(copy.outputShape(x.shape()));
        Tensor gOut = Tensor.zeros(out.shape());
        Tensor gx = Tensor.zeros(x.shape());
        return new WarmUp("MaxPool2D " + channels + " " + poolH + "x" + poolW + "/" + strideH + "x" + strideW, () -> {
            copy.forward(x, out);
            gOut.fill(0.01f);
            copy.backward(x, gOut, gx);
            copy.backward(x, gOut, gx, false);
        });
    }

    /**
     * @param x (B, height, width, channels)
     * @param out (B, OH, OW, channels); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int batch = check("forward", x, out, null, null);
        vectorWindows = MaxPoolWindows.suits(channels);
        // Scratch sized per batch size: allocated by the first batch, reused by every later step.
        if (pairs != null) {
            pairs.ensureBatch(batch);
        } else if (winners.length < batch * outH * outW * channels) {
            winners = new int[batch * outH * outW * channels];
        }
        ParallelFor.run(batch, 1, forwardBody, x.buffer(), out.buffer(), null, 0f);
        lastInput = x.buffer();
        lastBatch = batch;
    }

    /**
     * Images [from, to) of the forward pass, without a data-dependent branch (which value of a
     * window wins is a coin flip on real activations; the branch's mispredictions made this pass
     * a third of mnist_convnet's step). Each candidate is one long, {@link #rank} of its value
     * above the complement of its flat index in x, so the window's largest long is its first
     * largest value, and Math.max over longs is a conditional move. The output is read back from
     * the winner, so it is that value bit for bit (a −0 that came first stays −0). 2×2 windows
     * ({@link #pairs}) take {@link MaxPoolPairs} instead: the same winners, on vectorised loops.
     */
    private void forwardImages(float[] in, float[] o, int from, int to, int slot) {
        if (pairs != null) {
            pairs.forward(in, o, from, to, slot, vectorWindows);
            return;
        }
        int[] win = winners;
        long[] top = bestCandidates[slot];
        for (int b = from; b < to; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int y0 = Math.max(rowStart(oy), 0);
                int y1 = Math.min(rowStart(oy) + poolH, height);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.max(colStart(ox), 0);
                    int x1 = Math.min(colStart(ox) + poolW, width);
                    int dst = ((b * outH + oy) * outW + ox) * channels;
                    if (vectorWindows) {
                        // The same winners and bits on vectors, a few times faster (MaxPoolWindows).
                        MaxPoolWindows.window(in, ((b * height + y0) * width + x0) * channels, y1 - y0, x1 - x0,
                                width * channels, channels, o, win, dst);
                        continue;
                    }
                    // Channels innermost: each position's channels are contiguous, and a loop over
                    // them is long where one over a window's positions is 4 or 9 (measured, portable
                    // convnet128: the window-innermost loop was 15% of the step).
                    int first = ((b * height + y0) * width + x0) * channels;
                    for (int c = 0; c < channels; c++) {
                        top[c] = candidate(in, first + c);
                    }
                    for (int y = y0; y < y1; y++) {
                        for (int xx = y == y0 ? x0 + 1 : x0; xx < x1; xx++) {
                            int base = ((b * height + y) * width + xx) * channels;
                            for (int c = 0; c < channels; c++) {
                                top[c] = Math.max(top[c], candidate(in, base + c));
                            }
                        }
                    }
                    for (int c = 0; c < channels; c++) {
                        int at = Integer.MAX_VALUE - (int) top[c];
                        o[dst + c] = in[at];
                        win[dst + c] = at;
                    }
                }
            }
        }
    }

    /** Value {@code x[at]} and position {@code at} as one long: larger for a larger value, then for an earlier position. */
    private static long candidate(float[] x, int at) {
        return ((long) rank(x[at]) << 32) | (Integer.MAX_VALUE - at);
    }

    /**
     * An int whose order is the values' order with every NaN above every number and equal to each
     * other, and −0 equal to +0 (as {@code >} sees them): −0 + 0 is +0, floatToIntBits makes every
     * NaN one positive NaN, and flipping the magnitude bits of negatives orders them.
     */
    private static int rank(float v) {
        int bits = Float.floatToIntBits(v + 0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
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
        backward(x, gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor, Tensor)}, but with {@code accumulate} false dL/dx
     * overwrites {@code gx}: generated graphs pass false where this layer is the first to give
     * {@code gx} a gradient in a step. The winners take their gradients and every other position
     * zero, each image's part zeroed by the thread that scatters into it while it is in its cache,
     * instead of a pass over the whole buffer before the backward.
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx, boolean accumulate) {
        int batch = check("backward", x, gOut, null, gx);
        float[] in = x.buffer();
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        if (in == lastInput && batch == lastBatch) {
            // Each image's windows lie in that image, so the images can be shared between threads.
            ParallelFor.run(batch, 1, backwardBody, g, dst, null, accumulate ? 1f : 0f);
            return;
        }
        if (!accumulate) {
            java.util.Arrays.fill(dst, 0, batch * height * width * channels, 0f);
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
    private void backwardImages(float[] g, float[] dst, int from, int to, boolean accumulate, int slot) {
        if (pairs != null) {
            pairs.backward(g, dst, from, to, accumulate, slot, vectorWindows);
            return;
        }
        if (!accumulate) {
            int size = height * width * channels;
            java.util.Arrays.fill(dst, from * size, to * size, 0f);
        }
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
