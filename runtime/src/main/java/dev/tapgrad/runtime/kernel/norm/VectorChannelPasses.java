package dev.tapgrad.runtime.kernel.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelNorm}'s passes on the Vector API. The rows are read as one flat run: after a
 * period (the least common multiple of channels and lanes) the lanes see the same channels again,
 * so the per-channel arrays are repeated to a period and the k-th vector of every period uses the
 * k-th vector of them, for any channel count (16, 32, 64 are one, two, four vectors a period; 8
 * is half a vector, 5 sixteen rows in five vectors). Sums keep two registers per period vector
 * (even and odd periods, so that one addition need not wait for the last), each over up to
 * {@link ChannelNorm#BLOCK_PERIODS} periods, then go to double. The last part-period of a range is done value by value.
 * Loaded by class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorChannelPasses implements ChannelNorm.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public int lanes() {
        return S.length();
    }

    @Override
    public void shiftedSums(float[] x, int from, int to, ChannelNorm.Layout layout, float[] k, float[][] work,
            double[] sums, int sOff) {
        int p = layout.period();
        int i = from;
        int periods = (to - from) / p;
        for (int done = 0; done < periods;) {
            int run = Math.min(2 * ChannelNorm.BLOCK_PERIODS, periods - done);
            for (int v = 0; v < p; v += S.length()) {
                FloatVector kv = FloatVector.fromArray(S, k, v);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector u1 = FloatVector.zero(S);
                FloatVector u2 = FloatVector.zero(S);
                int t = 0;
                int at = i + v;
                for (; t + 1 < run; t += 2, at += 2 * p) {
                    FloatVector d = FloatVector.fromArray(S, x, at).sub(kv);
                    FloatVector e = FloatVector.fromArray(S, x, at + p).sub(kv);
                    s1 = s1.add(d);
                    s2 = d.fma(d, s2);
                    u1 = u1.add(e);
                    u2 = e.fma(e, u2);
                }
                if (t < run) {
                    FloatVector d = FloatVector.fromArray(S, x, at).sub(kv);
                    s1 = s1.add(d);
                    s2 = d.fma(d, s2);
                }
                s1.add(u1).intoArray(work[0], v);
                s2.add(u2).intoArray(work[1], v);
            }
            PortableChannelPasses.flush(work[0], work[1], p, layout.channels(), sums, sOff);
            done += run;
            i += run * p;
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
        int i = from;
        int periods = (to - from) / p;
        for (int done = 0; done < periods;) {
            int run = Math.min(2 * ChannelNorm.BLOCK_PERIODS, periods - done);
            for (int v = 0; v < p; v += S.length()) {
                FloatVector kv = FloatVector.fromArray(S, k, v);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector u1 = FloatVector.zero(S);
                FloatVector u2 = FloatVector.zero(S);
                int t = 0;
                int at = i + v;
                for (; t + 1 < run; t += 2, at += 2 * p) {
                    FloatVector g = FloatVector.fromArray(S, dy, at);
                    FloatVector h = FloatVector.fromArray(S, dy, at + p);
                    s1 = s1.add(g);
                    s2 = g.fma(FloatVector.fromArray(S, x, at).sub(kv), s2);
                    u1 = u1.add(h);
                    u2 = h.fma(FloatVector.fromArray(S, x, at + p).sub(kv), u2);
                }
                if (t < run) {
                    FloatVector g = FloatVector.fromArray(S, dy, at);
                    s1 = s1.add(g);
                    s2 = g.fma(FloatVector.fromArray(S, x, at).sub(kv), s2);
                }
                s1.add(u1).intoArray(work[0], v);
                s2.add(u2).intoArray(work[1], v);
            }
            PortableChannelPasses.flush(work[0], work[1], p, layout.channels(), sums, sOff);
            done += run;
            i += run * p;
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
        int i = from;
        for (; i + p <= to; i += p) {
            for (int v = 0; v < p; v += S.length()) {
                FloatVector d = FloatVector.fromArray(S, x, i + v).sub(FloatVector.fromArray(S, center, v));
                d.fma(FloatVector.fromArray(S, scale, v), FloatVector.fromArray(S, shift, v)).intoArray(y, i + v);
            }
        }
        for (int j = 0; i < to; i++, j++) {
            y[i] = scale[j] * (x[i] - center[j]) + shift[j];
        }
    }

    @Override
    public void addGradient(float[] dy, float[] x, float[] gx, int from, int to, ChannelNorm.Layout layout,
            float[] center, float[] scaleDy, float[] scaleX, float[] shift, float[][] work, boolean accumulate) {
        int p = layout.period();
        int i = from;
        for (; i + p <= to; i += p) {
            for (int v = 0; v < p; v += S.length()) {
                FloatVector d = FloatVector.fromArray(S, x, i + v).sub(FloatVector.fromArray(S, center, v));
                FloatVector t = d.fma(FloatVector.fromArray(S, scaleX, v), FloatVector.fromArray(S, shift, v));
                FloatVector r = FloatVector.fromArray(S, dy, i + v).fma(FloatVector.fromArray(S, scaleDy, v), t);
                // without accumulate gx is only written: the first writer of a step needs no zeroed buffer
                (accumulate ? r.add(FloatVector.fromArray(S, gx, i + v)) : r).intoArray(gx, i + v);
            }
        }
        for (int j = 0; i < to; i++, j++) {
            float r = scaleDy[j] * dy[i] + (scaleX[j] * (x[i] - center[j]) + shift[j]);
            gx[i] = accumulate ? gx[i] + r : r;
        }
    }
}
