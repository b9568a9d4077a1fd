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
 * value by value.
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
            float[][] work, double[] sums, int sOff) {
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
                for (int j = 0; j < p; j++) {
                    float g = gs[j];
                    first[j] += g;
                    second[j] += g * (xs[j] - k[j]);
                }
            }
            flush(first, second, p, layout.channels(), sums, sOff);
        }
        int c = layout.channels();
        for (int ch = 0; i < to; i++) {
            double g = dy[i];
            sums[sOff + ch] += g;
            sums[sOff + c + ch] += g * (x[i] - k[ch]);
            ch = ch + 1 == c ? 0 : ch + 1;
        }
    }

    @Override
    public void scaleShift(float[] x, float[] y, int from, int to, ChannelNorm.Layout layout, float[] center,
            float[] scale, float[] shift, float[][] work) {
        int p = layout.period();
        float[] xs = work[2];
        int i = from;
        for (; i + p <= to; i += p) {
            System.arraycopy(x, i, xs, 0, p);
            for (int j = 0; j < p; j++) {
                xs[j] = scale[j] * (xs[j] - center[j]) + shift[j];
            }
            System.arraycopy(xs, 0, y, i, p);
        }
        for (int j = 0; i < to; i++, j++) {
            y[i] = scale[j] * (x[i] - center[j]) + shift[j];
        }
    }

    @Override
    public void addGradient(float[] dy, float[] x, float[] gx, int from, int to, ChannelNorm.Layout layout,
            float[] center, float[] scaleDy, float[] scaleX, float[] shift, float[][] work, boolean accumulate) {
        int p = layout.period();
        if (!accumulate) {
            writeGradient(dy, x, gx, from, to, p, center, scaleDy, scaleX, shift, work);
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
            for (int j = 0; j < p; j++) {
                acc[j] += scaleDy[j] * gs[j] + (scaleX[j] * (xs[j] - center[j]) + shift[j]);
            }
            System.arraycopy(acc, 0, gx, i, p);
        }
        for (int j = 0; i < to; i++, j++) {
            gx[i] += scaleDy[j] * dy[i] + (scaleX[j] * (x[i] - center[j]) + shift[j]);
        }
    }

    /** As {@link #addGradient} with gx written, not read: the same floats as adding them to zeros. */
    private static void writeGradient(float[] dy, float[] x, float[] gx, int from, int to, int p, float[] center,
            float[] scaleDy, float[] scaleX, float[] shift, float[][] work) {
        float[] gs = work[2];
        float[] xs = work[3];
        float[] acc = work[4];
        int i = from;
        for (; i + p <= to; i += p) {
            System.arraycopy(dy, i, gs, 0, p);
            System.arraycopy(x, i, xs, 0, p);
            for (int j = 0; j < p; j++) {
                acc[j] = scaleDy[j] * gs[j] + (scaleX[j] * (xs[j] - center[j]) + shift[j]);
            }
            System.arraycopy(acc, 0, gx, i, p);
        }
        for (int j = 0; i < to; i++, j++) {
            gx[i] = scaleDy[j] * dy[i] + (scaleX[j] * (x[i] - center[j]) + shift[j]);
        }
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
