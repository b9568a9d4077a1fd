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
     * Whether every window is 2×2, apart from the others and inside the image (pool and strides 2,
     * VALID or SAME without padding; an odd last row or column is dropped): the forward then runs
     * on {@link MaxPoolWindows#firstLargest4} (portable) or {@link MaxPoolWindows#pairWindow}
     * (vector), and records each winner as its position 0…3 in {@link #pairWinners} instead of a
     * flat index.
     */
    private final boolean pairs;
    /** Per output value of the latest forward on the pair path, its winner's position 0…3 in the window; grown to the batch. */
    private float[] pairWinners = new float[0];
    /** Whether the latest forward recorded {@link #pairWinners} (else {@link #winners}). */
    private boolean lastPairs;
    /** Per {@link ParallelFor} slot: one output row's windows as four position rows, the kernel's max, index, check and output rows. */
    private final float[][][] pairScratch;
    /** A window's four positions as offsets from its first, in window order. */
    private final int[] pairOffsets;
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
        this.pairs = poolH == 2 && poolW == 2 && strideH == 2 && strideW == 2 && rowStart(0) >= 0 && colStart(0) >= 0
                && rowStart(outH - 1) + 2 <= height && colStart(outW - 1) + 2 <= width;
        this.pairScratch = pairs ? new float[ParallelFor.slots()][8][outW * channels] : null;
        this.pairOffsets = new int[] {0, channels, width * channels, (width + 1) * channels};
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
        lastPairs = pairs;
        // Scratch sized per batch size: allocated by the first batch, reused by every later step.
        if (lastPairs && pairWinners.length < batch * outH * outW * channels) {
            pairWinners = new float[batch * outH * outW * channels];
        } else if (!lastPairs && winners.length < batch * outH * outW * channels) {
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
     * ({@link #pairs}) take {@link #pairImage} instead: the same winners, on vectorised loops.
     */
    private void forwardImages(float[] in, float[] o, int from, int to, int slot) {
        if (lastPairs && vectorWindows) {
            vectorPairImages(in, o, from, to);
            return;
        }
        if (lastPairs) {
            for (int b = from; b < to; b++) {
                pairImage(in, o, b, pairScratch[slot]);
            }
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
        if (lastPairs && vectorWindows && !accumulate) {
            vectorPairGradients(g, dst, from, to);
            return;
        }
        if (lastPairs && !accumulate) {
            for (int b = from; b < to; b++) {
                pairSpread(g, dst, b, pairScratch[slot]);
            }
            return;
        }
        if (!accumulate) {
            int size = height * width * channels;
            java.util.Arrays.fill(dst, from * size, to * size, 0f);
        }
        if (lastPairs) {
            pairGradients(g, dst, from, to);
            return;
        }
        int[] win = winners;
        int per = outH * outW * channels;
        for (int i = from * per, end = to * per; i < end; i++) {
            dst[win[i]] += g[i];
        }
    }

    /**
     * Image b's windows on the pair path, an output row at a time: its windows' four positions
     * copied into rows of their own (C2 vectorises only loops over arrays indexed from 0), the
     * first largest of each found by {@link MaxPoolWindows#firstLargest4}, and the row copied out.
     * If a window's largest value was NaN or infinite, the image is done again by {@link #pairScan}.
     */
    private void pairImage(float[] in, float[] o, int b, float[][] s) {
        int n = outW * channels;
        int rowStep = width * channels;
        float[] check = s[6];
        java.util.Arrays.fill(check, 0f);
        for (int oy = 0; oy < outH; oy++) {
            int p = ((b * height + rowStart(oy)) * width + colStart(0)) * channels;
            for (int q = 0; q < n; q += channels, p += 2 * channels) {
                System.arraycopy(in, p, s[0], q, channels);
                System.arraycopy(in, p + channels, s[1], q, channels);
                System.arraycopy(in, p + rowStep, s[2], q, channels);
                System.arraycopy(in, p + rowStep + channels, s[3], q, channels);
            }
            MaxPoolWindows.firstLargest4(n, s[0], s[1], s[2], s[3], s[4], s[5], s[7], check);
            int dst = (b * outH + oy) * n;
            System.arraycopy(s[7], 0, o, dst, n);
            System.arraycopy(s[5], 0, pairWinners, dst, n);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            sum += check[j];
        }
        if (sum != sum) {
            pairScan(in, o, b);
        }
    }

    /** Image b on the pair path by a scalar scan (first largest in window order, a NaN above all and the first NaN kept). */
    private void pairScan(float[] in, float[] o, int b) {
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int first = ((b * height + rowStart(oy)) * width + colStart(ox)) * channels;
                int dst = ((b * outH + oy) * outW + ox) * channels;
                for (int c = 0; c < channels; c++) {
                    int k = 0;
                    float m = in[first + c];
                    for (int i = 1; i < 4; i++) {
                        float v = in[first + pairOffsets[i] + c];
                        if (v > m || v != v && m == m) {
                            k = i;
                            m = v;
                        }
                    }
                    o[dst + c] = m;
                    pairWinners[dst + c] = k;
                }
            }
        }
    }

    /**
     * Image b's dL/dx, overwritten, from the pair path's winners: an output row's gradients
     * spread over its windows' four positions by {@link MaxPoolWindows#spread4} (vectorised, as
     * firstLargest4) and copied into place, so every position is written once instead of zeroed
     * and then scattered into. The rows and columns no window covers are zeroed first. If a
     * gradient was NaN or infinite, the image is zeroed and scattered into instead.
     */
    private void pairSpread(float[] g, float[] dst, int b, float[][] s) {
        int n = outW * channels;
        int rowStep = width * channels;
        int size = height * width * channels;
        if (2 * outH < height || 2 * outW < width) {
            java.util.Arrays.fill(dst, b * size, (b + 1) * size, 0f);
        }
        float[] check = s[6];
        java.util.Arrays.fill(check, 0f);
        for (int oy = 0; oy < outH; oy++) {
            int src = (b * outH + oy) * n;
            System.arraycopy(g, src, s[4], 0, n);
            System.arraycopy(pairWinners, src, s[5], 0, n);
            MaxPoolWindows.spread4(n, s[4], s[5], s[0], s[1], s[2], s[3], check);
            int p = ((b * height + rowStart(oy)) * width + colStart(0)) * channels;
            for (int q = 0; q < n; q += channels, p += 2 * channels) {
                System.arraycopy(s[0], q, dst, p, channels);
                System.arraycopy(s[1], q, dst, p + channels, channels);
                System.arraycopy(s[2], q, dst, p + rowStep, channels);
                System.arraycopy(s[3], q, dst, p + rowStep + channels, channels);
            }
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            sum += check[j];
        }
        if (sum != sum) {
            java.util.Arrays.fill(dst, b * size, (b + 1) * size, 0f);
            pairGradients(g, dst, b, b + 1);
        }
    }

    /** Images [from, to) of the forward pass over 2×2 windows on the vector windows, winners as positions 0…3. */
    private void vectorPairImages(float[] in, float[] o, int from, int to) {
        int rowStep = width * channels;
        for (int b = from; b < to; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int dst = (b * outH + oy) * outW * channels;
                int first = ((b * height + rowStart(oy)) * width + colStart(0)) * channels;
                for (int ox = 0; ox < outW; ox++, dst += channels, first += 2 * channels) {
                    MaxPoolWindows.pairWindow(in, first, rowStep, channels, o, pairWinners, dst);
                }
            }
        }
    }

    /**
     * Images [from, to) of the overwriting backward pass where the forward ran on the vector
     * windows over 2×2 windows that do not overlap: each window's four positions written once
     * ({@link MaxPoolWindows#pairGradient}) instead of the image zeroed and then scattered into
     * (which read and wrote dL/dx twice: 9% of mnist_convnet's step). The rows and columns no
     * window covers (an odd size under VALID) are zeroed first.
     */
    private void vectorPairGradients(float[] g, float[] dst, int from, int to) {
        int size = height * width * channels;
        int rowStep = width * channels;
        boolean uncovered = 2 * outH < height || 2 * outW < width;
        for (int b = from; b < to; b++) {
            if (uncovered) {
                java.util.Arrays.fill(dst, b * size, (b + 1) * size, 0f);
            }
            for (int oy = 0; oy < outH; oy++) {
                int src = (b * outH + oy) * outW * channels;
                int first = ((b * height + rowStart(oy)) * width + colStart(0)) * channels;
                for (int ox = 0; ox < outW; ox++, src += channels, first += 2 * channels) {
                    MaxPoolWindows.pairGradient(g, pairWinners, src, dst, first, rowStep, channels);
                }
            }
        }
    }

    /** Images [from, to) of the backward pass from the pair path's winners, in the order of the flat-index scatter. */
    private void pairGradients(float[] g, float[] dst, int from, int to) {
        float[] win = pairWinners;
        int[] offsets = pairOffsets;
        for (int b = from; b < to; b++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int first = ((b * height + rowStart(oy)) * width + colStart(ox)) * channels;
                    int i = ((b * outH + oy) * outW + ox) * channels;
                    for (int c = 0; c < channels; c++) {
                        dst[first + offsets[(int) win[i + c]] + c] += g[i + c];
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
