package dev.tapgrad.runtime.kernel.norm;

import java.util.Arrays;

/**
 * {@link ChannelNorm}'s passes without the Vector API. The period is a whole number of rows of at
 * least 1024 floats; each period of the data is copied into the slot's work arrays, worked on there
 * and copied back, so that every inner loop indexes all its arrays alike ({@code a[j]}, with the
 * per-channel arrays repeated to the period): JDK 17's auto-vectoriser leaves a loop scalar when
 * one array is indexed {@code [i + j]} and another {@code [j]}, and the copies (intrinsics, within
 * L1) cost less than the scalar loop (measured: three times faster). Float runs of {@link
 * ChannelNorm#BLOCK_PERIODS} periods, as on the vector path; the rows after the last whole period
 * value by value. An output penalty is summed from the copy of y before it is copied out, and its
 * gradient added to the copy of dy (y recomputed from the copy of x as the forward computed it).
 */
final class PortableChannelPasses implements ChannelNorm.Impl {
    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void shiftedSums(float[] x, int from, int to, ChannelNorm.Layout layout, float[] k, float[][] work,
            double[] sums, int sOff) {
        int p = layout.period();
        float[] first = work[0];
        float[] second = work[1];
        float[] xs = work[2];
        int i = from;
        while (i + p <= to) {
            Arrays.fill(first, 0f);
            Arrays.fill(second, 0f);
            for (int t = 0; t < ChannelNorm.BLOCK_PERIODS && i + p <= to; t++, i += p) {
                System.arraycopy(x, i, xs, 0, p);
                for (int j = 0; j < p; j++) {
                    float d = xs[j] - k[j];
                    first[j] += d;
                    second[j] += d * d;
                }
            }
            flush(first, second, p, layout.channels(), sums, sOff);
        }
        int c = layout.channels();
        for (int ch = 0; i < to; i++) {
            double d = x[i] - k[ch];
            sums[sOff + ch] += d;
            sums[sOff + c + ch] += d * d;
            ch = ch + 1 == c ? 0 : ch + 1;
        }
    }

    @Override
    public void productSums(float[] dy, float[] x, int from, int to, ChannelNorm.Layout layout, float[] k,
            float[][] work, double[] sums, int sOff, int penalty, float c, float[] outScale, float[] outShift) {
        int p = layout.period();
        float[] first = work[0];
        float[] second = work[1];
        float[] gs = work[2];
        float[] xs = work[3];
        int i = from;
        while (i + p <= to) {
            Arrays.fill(first, 0f);
            Arrays.fill(second, 0f);
            for (int t = 0; t < ChannelNorm.BLOCK_PERIODS && i + p <= to; t++, i += p) {
                System.arraycopy(dy, i, gs, 0, p);
                System.arraycopy(x, i, xs, 0, p);
                addPenaltyGradient(gs, xs, k, outScale, outShift, p, penalty, c);
                for (int j = 0; j < p; j++) {
                    float g = gs[j];
                    first[j] += g;
                    second[j] += g * (xs[j] - k[j]);
                }
            }
            flush(first, second, p, layout.channels(), sums, sOff);
        }
        int channels = layout.channels();
        for (int ch = 0; i < to; i++) {
            double g = penalty == ChannelNorm.NO_PENALTY ? dy[i]
                    : dy[i] + penaltyGradient(outScale[ch] * (x[i] - k[ch]) + outShift[ch], penalty == ChannelNorm.SQUARE, c);
            sums[sOff + ch] += g;
            sums[sOff + channels + ch] += g * (x[i] - k[ch]);
            ch = ch + 1 == channels ? 0 : ch + 1;
        }
    }

    @Override
    public void scaleShift(float[] x, float[] y, int from, int to, ChannelNorm.Layout layout, float[] center,
            float[] scale, float[] shift, float[][] work, int penalty, double[] sums, int sOff) {
        int p = layout.period();
        float[] xs = work[2];
        float[] acc = work[0];
        boolean square = penalty == ChannelNorm.SQUARE;
        int i = from;
        int t = 0;
        for (; i + p <= to; i += p) {
            System.arraycopy(x, i, xs, 0, p);
            for (int j = 0; j < p; j++) {
                xs[j] = scale[j] * (xs[j] - center[j]) + shift[j];
            }
            System.arraycopy(xs, 0, y, i, p);
            if (penalty != ChannelNorm.NO_PENALTY) {
                // float runs of PENALTY_PERIODS values per element of acc, then double, as on the vector path
                if (t == 0) {
                    Arrays.fill(acc, 0, p, 0f);
                }
                if (square) {
                    for (int j = 0; j < p; j++) {
                        acc[j] += xs[j] * xs[j];
                    }
                } else {
                    for (int j = 0; j < p; j++) {
                        acc[j] += Math.abs(xs[j]);
                    }
                }
                if (++t == ChannelNorm.PENALTY_PERIODS) {
                    sums[sOff] += total(acc, p);
                    t = 0;
                }
            }
        }
        if (t > 0) {
            sums[sOff] += total(acc, p);
        }
        for (int j = 0; i < to; i++, j++) {
            float v = scale[j] * (x[i] - center[j]) + shift[j];
            y[i] = v;
            if (penalty != ChannelNorm.NO_PENALTY) {
                sums[sOff] += square ? v * v : Math.abs(v);
            }
        }
    }

    @Override
    public void addGradient(float[] dy, float[] x, float[] gx, int from, int to, ChannelNorm.Layout layout,
            float[] center, float[] scaleDy, float[] scaleX, float[] shift, float[][] work, boolean accumulate,
            int penalty, float c, float[] outScale, float[] outShift) {
        int p = layout.period();
        if (!accumulate) {
            writeGradient(dy, x, gx, from, to, p, center, scaleDy, scaleX, shift, work, penalty, c, outScale, outShift);
            return;
        }
        float[] gs = work[2];
        float[] xs = work[3];
        float[] acc = work[4];
        int i = from;
        for (; i + p <= to; i += p) {
            System.arraycopy(dy, i, gs, 0, p);
            System.arraycopy(x, i, xs, 0, p);
            System.arraycopy(gx, i, acc, 0, p);
            addPenaltyGradient(gs, xs, center, outScale, outShift, p, penalty, c);
            for (int j = 0; j < p; j++) {
                acc[j] += scaleDy[j] * gs[j] + (scaleX[j] * (xs[j] - center[j]) + shift[j]);
            }
            System.arraycopy(acc, 0, gx, i, p);
        }
        for (int j = 0; i < to; i++, j++) {
            gx[i] += scaleDy[j] * penalized(dy[i], x[i], center[j], outScale, outShift, j, penalty, c)
                    + (scaleX[j] * (x[i] - center[j]) + shift[j]);
        }
    }

    /** As {@link #addGradient} with gx written, not read: the same floats as adding them to zeros. */
    private static void writeGradient(float[] dy, float[] x, float[] gx, int from, int to, int p, float[] center,
            float[] scaleDy, float[] scaleX, float[] shift, float[][] work, int penalty, float c, float[] outScale,
            float[] outShift) {
        float[] gs = work[2];
        float[] xs = work[3];
        float[] acc = work[4];
        int i = from;
        for (; i + p <= to; i += p) {
            System.arraycopy(dy, i, gs, 0, p);
            System.arraycopy(x, i, xs, 0, p);
            addPenaltyGradient(gs, xs, center, outScale, outShift, p, penalty, c);
            for (int j = 0; j < p; j++) {
                acc[j] = scaleDy[j] * gs[j] + (scaleX[j] * (xs[j] - center[j]) + shift[j]);
            }
            System.arraycopy(acc, 0, gx, i, p);
        }
        for (int j = 0; i < to; i++, j++) {
            gx[i] = scaleDy[j] * penalized(dy[i], x[i], center[j], outScale, outShift, j, penalty, c)
                    + (scaleX[j] * (x[i] - center[j]) + shift[j]);
        }
    }

    /**
     * {@code gs[j] += weight·∂penalty/∂y} at y = outScale·(xs − k) + outShift over a period: y as
     * the forward computed it, the penalty's gradient as {@link #penaltyGradient}.
     */
    private static void addPenaltyGradient(float[] gs, float[] xs, float[] k, float[] outScale, float[] outShift, int p,
            int penalty, float c) {
        if (penalty == ChannelNorm.SQUARE) {
            for (int j = 0; j < p; j++) {
                gs[j] += 2 * (outScale[j] * (xs[j] - k[j]) + outShift[j]) * c;
            }
        } else if (penalty == ChannelNorm.ABS) {
            // sign(y) as y·2^254 clamped to [-1, 1]: ±1, ±0 for ±0, NaN for NaN (every nonzero float·2^254
            // is beyond 1), which is Math.signum's value; min, max and products C2 vectorises, signum it does not
            for (int j = 0; j < p; j++) {
                float y = outScale[j] * (xs[j] - k[j]) + outShift[j];
                gs[j] += c * Math.min(Math.max(y * 0x1p127f * 0x1p127f, -1f), 1f);
            }
        }
    }

    /** dy with the penalty's gradient at this value's y added (dy itself without a penalty). */
    private static float penalized(float dy, float x, float k, float[] outScale, float[] outShift, int j, int penalty,
            float c) {
        return penalty == ChannelNorm.NO_PENALTY ? dy
                : dy + penaltyGradient(outScale[j] * (x - k) + outShift[j], penalty == ChannelNorm.SQUARE, c);
    }

    /**
     * {@code weight·∂penalty/∂y} for one y, the float the unfused pass ({@code SumMath.addAbs},
     * {@code addSquare}) adds: {@code 2y·c}, or {@code c·sign(y)} with sign(±0) = ±0 and NaN kept
     * (for a finite c that product is c with y's sign flipped in, or a signed zero, exactly).
     */
    static float penaltyGradient(float y, boolean square, float c) {
        return square ? 2 * y * c : c * Math.signum(y);
    }

    /** Σ acc[j] over {@code [0, p)} in double: four partial sums (not one chain of additions), in a fixed order. */
    static double total(float[] acc, int p) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= p; j += 4) {
            s0 += acc[j];
            s1 += acc[j + 1];
            s2 += acc[j + 2];
            s3 += acc[j + 3];
        }
        for (; j < p; j++) {
            s0 += acc[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Adds a run's two float sums, a period each, to the double sums of their channels. */
    static void flush(float[] first, float[] second, int period, int channels, double[] sums, int sOff) {
        if (period == channels) {
            for (int j = 0; j < channels; j++) {
                sums[sOff + j] += first[j];
                sums[sOff + channels + j] += second[j];
            }
            return;
        }
        for (int j = 0, ch = 0; j < period; j++) {
            sums[sOff + ch] += first[j];
            sums[sOff + channels + ch] += second[j];
            ch = ch + 1 == channels ? 0 : ch + 1;
        }
    }
}
