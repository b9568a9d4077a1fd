package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.conv.MaxPoolWindows;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;

/**
 * {@link MaxPool2D}'s path for 2×2 windows with strides 2 that lie inside the image (Keras's
 * default pool): each winner is recorded as its position 0…3 in window order instead of a flat
 * index, the forward runs on {@link MaxPoolWindows#firstLargest4} (portable) or {@link
 * MaxPoolWindows#pairWindow} (Vector API), and the overwriting backward writes each window's four
 * positions once. The same outputs and gradients, bit for bit, as MaxPool2D's general scan.
 */
final class MaxPoolPairs {
    private final int height;
    private final int width;
    private final int channels;
    private final int outH;
    private final int outW;
    /** Where the first window's row and column start in the image. */
    private final int top;
    private final int left;
    /** Per output value of the latest forward, its winner's position 0…3 in the window; grown to the batch. */
    private float[] positions = new float[0];
    /** Per {@link ParallelFor} slot: one output row's windows as four position rows, the kernel's max, index, check and output rows. */
    private final float[][][] scratch;
    /** A window's four positions as offsets from its first, in window order. */
    private final int[] offsets;

    MaxPoolPairs(int height, int width, int channels, int outH, int outW, int top, int left) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.outH = outH;
        this.outW = outW;
        this.top = top;
        this.left = left;
        this.scratch = new float[ParallelFor.slots()][8][outW * channels];
        this.offsets = new int[] {0, channels, width * channels, (width + 1) * channels};
    }

    /** Sizes the winners for a batch; allocates only when the batch grows. */
    void ensureBatch(int batch) {
        if (positions.length < batch * outH * outW * channels) {
            positions = new float[batch * outH * outW * channels];
        }
    }

    /** The flat index in x of the first position of image b's first window in output row oy. */
    private int windowRow(int b, int oy) {
        return ((b * height + top + 2 * oy) * width + left) * channels;
    }

    /** Images [from, to) of the forward pass, on the Vector API's windows when {@code vector}. */
    void forward(float[] in, float[] o, int from, int to, int slot, boolean vector) {
        if (vector) {
            vectorImages(in, o, from, to);
            return;
        }
        for (int b = from; b < to; b++) {
            portableImage(in, o, b, scratch[slot]);
        }
    }

    /**
     * Images [from, to) of the backward pass from the recorded winners: with {@code accumulate}
     * false dL/dx is overwritten (each position written once), else added to.
     */
    void backward(float[] g, float[] dst, int from, int to, boolean accumulate, int slot, boolean vector) {
        if (!accumulate && vector) {
            vectorGradients(g, dst, from, to);
            return;
        }
        if (!accumulate) {
            for (int b = from; b < to; b++) {
                portableSpread(g, dst, b, scratch[slot]);
            }
            return;
        }
        scatter(g, dst, from, to);
    }

    /**
     * Image b's windows on the pair path, an output row at a time: its windows' four positions
     * copied into rows of their own (C2 vectorises only loops over arrays indexed from 0), the
     * first largest of each found by {@link MaxPoolWindows#firstLargest4}, and the row copied out.
     * If a window's largest value was NaN or infinite, the image is done again by {@link #scan}.
     */
    private void portableImage(float[] in, float[] o, int b, float[][] s) {
        int n = outW * channels;
        int rowStep = width * channels;
        float[] check = s[6];
        java.util.Arrays.fill(check, 0f);
        for (int oy = 0; oy < outH; oy++) {
            int p = windowRow(b, oy);
            for (int q = 0; q < n; q += channels, p += 2 * channels) {
                System.arraycopy(in, p, s[0], q, channels);
                System.arraycopy(in, p + channels, s[1], q, channels);
                System.arraycopy(in, p + rowStep, s[2], q, channels);
                System.arraycopy(in, p + rowStep + channels, s[3], q, channels);
            }
            MaxPoolWindows.firstLargest4(n, s[0], s[1], s[2], s[3], s[4], s[5], s[7], check);
            int dst = (b * outH + oy) * n;
            System.arraycopy(s[7], 0, o, dst, n);
            System.arraycopy(s[5], 0, positions, dst, n);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            sum += check[j];
        }
        if (sum != sum) {
            scan(in, o, b);
        }
    }

    /** Image b on the pair path by a scalar scan (first largest in window order, a NaN above all and the first NaN kept). */
    private void scan(float[] in, float[] o, int b) {
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int first = windowRow(b, oy) + 2 * ox * channels;
                int dst = ((b * outH + oy) * outW + ox) * channels;
                for (int c = 0; c < channels; c++) {
                    int k = 0;
                    float m = in[first + c];
                    for (int i = 1; i < 4; i++) {
                        float v = in[first + offsets[i] + c];
                        if (v > m || v != v && m == m) {
                            k = i;
                            m = v;
                        }
                    }
                    o[dst + c] = m;
                    positions[dst + c] = k;
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
    private void portableSpread(float[] g, float[] dst, int b, float[][] s) {
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
            System.arraycopy(positions, src, s[5], 0, n);
            MaxPoolWindows.spread4(n, s[4], s[5], s[0], s[1], s[2], s[3], check);
            int p = windowRow(b, oy);
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
            scatter(g, dst, b, b + 1);
        }
    }

    /** Images [from, to) of the forward pass over 2×2 windows on the vector windows, winners as positions 0…3. */
    private void vectorImages(float[] in, float[] o, int from, int to) {
        int rowStep = width * channels;
        for (int b = from; b < to; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int dst = (b * outH + oy) * outW * channels;
                int first = windowRow(b, oy);
                for (int ox = 0; ox < outW; ox++, dst += channels, first += 2 * channels) {
                    MaxPoolWindows.pairWindow(in, first, rowStep, channels, o, positions, dst);
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
    private void vectorGradients(float[] g, float[] dst, int from, int to) {
        int size = height * width * channels;
        int rowStep = width * channels;
        boolean uncovered = 2 * outH < height || 2 * outW < width;
        for (int b = from; b < to; b++) {
            if (uncovered) {
                java.util.Arrays.fill(dst, b * size, (b + 1) * size, 0f);
            }
            for (int oy = 0; oy < outH; oy++) {
                int src = (b * outH + oy) * outW * channels;
                int first = windowRow(b, oy);
                for (int ox = 0; ox < outW; ox++, src += channels, first += 2 * channels) {
                    MaxPoolWindows.pairGradient(g, positions, src, dst, first, rowStep, channels);
                }
            }
        }
    }

    /** Images [from, to) of the backward pass from the pair path's winners, in the order of the flat-index scatter. */
    private void scatter(float[] g, float[] dst, int from, int to) {
        float[] win = positions;
        int[] at = offsets;
        for (int b = from; b < to; b++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int first = windowRow(b, oy) + 2 * ox * channels;
                    int i = ((b * outH + oy) * outW + ox) * channels;
                    for (int c = 0; c < channels; c++) {
                        dst[first + at[(int) win[i + c]] + c] += g[i + c];
                    }
                }
            }
        }
    }
}
