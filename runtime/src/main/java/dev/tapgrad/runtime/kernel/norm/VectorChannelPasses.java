package dev.tapgrad.runtime.kernel.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelNorm}'s passes on the Vector API. The rows are read as one flat run: after a
 * period (the least common multiple of channels and lanes) the lanes see the same channels again,
 * so the per-channel arrays are repeated to a period and the k-th vector of every period uses the
 * k-th vector of them, for any channel count (16, 32, 64 are one, two, four vectors a period; 8
 * is half a vector, 5 sixteen rows in five vectors). Sums keep two registers per period vector
 * (even and odd periods, so that one addition need not wait for the last), each over up to
 * {@link ChannelNorm#BLOCK_PERIODS} periods, then go to double. The last part-period of a range is done value by value.
 * With an output penalty the forward sums |y| or y² while it stores y, and the backward passes
 * recompute y from x with the forward's coefficients and the same operations (hence the same
 * bits) and add the penalty's gradient to dy in registers (see {@link ChannelNorm}).
 * Loaded by class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorChannelPasses implements ChannelNorm.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * Periods an elementwise pass runs through per vector of the period before the next vector:
     * at most 64 rows of 64 channels (16 KB an array), so the rows a vector skips are still in L1
     * when the next vector reads them.
     */
    private static final int RUN_PERIODS = 64;

    @Override
    public int lanes() {
        return S.length();
    }

    @Override
    public void shiftedSums(float[] x, int from, int to, ChannelNorm.Layout layout, float[] k, float[][] work,
            double[] sums, int sOff) {
        int p = layout.period();
        int i = VectorChannelRuns.fits(p) ? VectorChannelRuns.shiftedSums(x, from, to, layout, k, work, sums, sOff) : from;
        int periods = (to - i) / p;
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
            float[][] work, double[] sums, int sOff, int penalty, float c, float[] outScale, float[] outShift) {
        if (penalty != ChannelNorm.NO_PENALTY) {
            penalizedProductSums(dy, x, from, to, layout, k, work, sums, sOff, penalty == ChannelNorm.SQUARE, c,
                    outScale, outShift);
            return;
        }
        int p = layout.period();
        int i = !VectorChannelRuns.fits(p) ? from : VectorChannelRuns.productSums(dy, x, from, to, layout, k, work,
                sums, sOff, ChannelNorm.NO_PENALTY, 0f, null, null);
        int periods = (to - i) / p;
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
        int channels = layout.channels();
        for (int ch = 0; i < to; i++) {
            double g = dy[i];
            sums[sOff + ch] += g;
            sums[sOff + channels + ch] += g * (x[i] - k[ch]);
            ch = ch + 1 == channels ? 0 : ch + 1;
        }
    }

    @Override
    public void scaleShift(float[] x, float[] y, int from, int to, ChannelNorm.Layout layout, float[] center,
            float[] scale, float[] shift, float[][] work, int penalty, double[] sums, int sOff) {
        if (penalty != ChannelNorm.NO_PENALTY) {
            scaleShiftSum(x, y, from, to, layout, center, scale, shift, work, penalty == ChannelNorm.SQUARE, sums, sOff);
            return;
        }
        int p = layout.period();
        int i = VectorChannelRuns.fits(p) ? VectorChannelRuns.scaleShift(x, y, from, to, p, center, scale, shift) : from;
        int periods = (to - i) / p;
        for (int done = 0; done < periods;) {
            int run = Math.min(RUN_PERIODS, periods - done);
            int end = i + run * p;
            // a period's vectors outside, its rows inside: the coefficients stay in registers
            for (int v = 0; v < p; v += S.length()) {
                FloatVector cv = FloatVector.fromArray(S, center, v);
                FloatVector sv = FloatVector.fromArray(S, scale, v);
                FloatVector hv = FloatVector.fromArray(S, shift, v);
                for (int at = i + v; at < end; at += p) {
                    FloatVector.fromArray(S, x, at).sub(cv).fma(sv, hv).intoArray(y, at);
                }
            }
            done += run;
            i = end;
        }
        for (int j = 0; i < to; i++, j++) {
            y[i] = scale[j] * (x[i] - center[j]) + shift[j];
        }
    }

    @Override
    public void addGradient(float[] dy, float[] x, float[] gx, int from, int to, ChannelNorm.Layout layout,
            float[] center, float[] scaleDy, float[] scaleX, float[] shift, float[][] work, boolean accumulate,
            int penalty, float c, float[] outScale, float[] outShift) {
        int p = layout.period();
        boolean penalized = penalty != ChannelNorm.NO_PENALTY;
        int i = !VectorChannelRuns.fits(p) ? from : VectorChannelRuns.addGradient(dy, x, gx, from, to, p, center,
                scaleDy, scaleX, shift, accumulate, penalty, c, outScale, outShift);
        if (penalized) {
            penalizedGradient(dy, x, gx, i, to, layout, center, scaleDy, scaleX, shift, accumulate,
                    penalty == ChannelNorm.SQUARE, c, outScale, outShift);
            return;
        }
        int periods = (to - i) / p;
        for (int done = 0; done < periods;) {
            int run = Math.min(RUN_PERIODS, periods - done);
            int end = i + run * p;
            // as scaleShift; one loop per mode: a choice between two vectors in the loop made C2 (JDK 17) box them
            for (int v = 0; v < p; v += S.length()) {
                FloatVector cv = FloatVector.fromArray(S, center, v);
                FloatVector xv = FloatVector.fromArray(S, scaleX, v);
                FloatVector hv = FloatVector.fromArray(S, shift, v);
                FloatVector gv = FloatVector.fromArray(S, scaleDy, v);
                if (accumulate) {
                    for (int at = i + v; at < end; at += p) {
                        FloatVector t = FloatVector.fromArray(S, x, at).sub(cv).fma(xv, hv);
                        FloatVector.fromArray(S, dy, at).fma(gv, t).add(FloatVector.fromArray(S, gx, at)).intoArray(gx, at);
                    }
                } else {
                    // without accumulate gx is only written: the first writer of a step needs no zeroed buffer
                    for (int at = i + v; at < end; at += p) {
                        FloatVector t = FloatVector.fromArray(S, x, at).sub(cv).fma(xv, hv);
                        FloatVector.fromArray(S, dy, at).fma(gv, t).intoArray(gx, at);
                    }
                }
            }
            done += run;
            i = end;
        }
        for (int j = 0; i < to; i++, j++) {
            float r = scaleDy[j] * dy[i] + (scaleX[j] * (x[i] - center[j]) + shift[j]);
            gx[i] = accumulate ? gx[i] + r : r;
        }
    }

    /** As the unpenalised scaleShift, and {@code sums[sOff] +=} Σ|y| or Σy², in float runs of {@link ChannelNorm#PENALTY_PERIODS} vectors. */
    private static void scaleShiftSum(float[] x, float[] y, int from, int to, ChannelNorm.Layout layout, float[] center,
            float[] scale, float[] shift, float[][] work, boolean square, double[] sums, int sOff) {
        int p = layout.period();
        // per period vector a register sum over PENALTY_PERIODS periods, then its lanes in double in a fixed
        // order (a float reduceLanes may add in any order); loops ordered as in shiftedSums: with the vectors
        // inside the periods, C2 (JDK 17) kept the sum in a heap box, and a sum in memory made the pass 3x slower
        float[] spill = work[0];
        // |y|·(|y| or 1): the term without a branch between two vectors, which C2 also boxed
        VectorMask<Float> l1 = S.maskAll(!square);
        double sum = 0;
        int i = !VectorChannelRuns.fits(p) ? from
                : VectorChannelRuns.scaleShiftSum(x, y, from, to, p, center, scale, shift, spill, square, sums, sOff);
        int periods = (to - i) / p;
        for (int done = 0; done < periods;) {
            int run = Math.min(ChannelNorm.PENALTY_PERIODS, periods - done);
            for (int v = 0; v < p; v += S.length()) {
                FloatVector cv = FloatVector.fromArray(S, center, v);
                FloatVector sv = FloatVector.fromArray(S, scale, v);
                FloatVector hv = FloatVector.fromArray(S, shift, v);
                FloatVector acc = FloatVector.zero(S);
                for (int t = 0, at = i + v; t < run; t++, at += p) {
                    FloatVector yv = FloatVector.fromArray(S, x, at).sub(cv).fma(sv, hv);
                    yv.intoArray(y, at);
                    FloatVector a = yv.abs();
                    acc = a.fma(a.blend(1f, l1), acc);
                }
                acc.intoArray(spill, v);
            }
            sum += PortableChannelPasses.total(spill, p);
            done += run;
            i += run * p;
        }
        sums[sOff] += sum;
        for (int j = 0; i < to; i++, j++) {
            float v = scale[j] * (x[i] - center[j]) + shift[j];
            y[i] = v;
            sums[sOff] += square ? v * v : Math.abs(v);
        }
    }

    /**
     * {@code weight·∂penalty/∂y} at y = outScale·(x − k) + outShift, recomputed as the forward
     * computed y ({@code d} is x − k): {@code 2y·c}, or {@code c·sign(y)}: c where y > 0, −c where
     * y < 0, else y·c (±0 with the sign of c·y, or NaN) — the floats of {@code c·Math.signum(y)}
     * that the unfused pass adds, for any c.
     */
    private static FloatVector penaltyGradient(FloatVector d, FloatVector outScale, FloatVector outShift,
            VectorMask<Float> square, float c) {
        FloatVector yv = d.fma(outScale, outShift);
        // both, and a blend on a mask fixed for the call: a branch between two vectors made C2 (JDK 17) box them
        FloatVector l1 = yv.mul(c).blend(c, yv.compare(VectorOperators.GT, 0f)).blend(-c, yv.compare(VectorOperators.LT, 0f));
        return l1.blend(yv.mul(2f).mul(c), square);
    }

    /** productSums with dy + weight·∂penalty/∂y in place of dy, in the same float runs. */
    private static void penalizedProductSums(float[] dy, float[] x, int from, int to, ChannelNorm.Layout layout,
            float[] k, float[][] work, double[] sums, int sOff, boolean square, float c, float[] outScale,
            float[] outShift) {
        VectorMask<Float> l2 = S.maskAll(square);
        int p = layout.period();
        int i = !VectorChannelRuns.fits(p) ? from : VectorChannelRuns.productSums(dy, x, from, to, layout, k, work,
                sums, sOff, square ? ChannelNorm.SQUARE : ChannelNorm.ABS, c, outScale, outShift);
        int periods = (to - i) / p;
        for (int done = 0; done < periods;) {
            int run = Math.min(2 * ChannelNorm.BLOCK_PERIODS, periods - done);
            for (int v = 0; v < p; v += S.length()) {
                FloatVector kv = FloatVector.fromArray(S, k, v);
                FloatVector a = FloatVector.fromArray(S, outScale, v);
                FloatVector b = FloatVector.fromArray(S, outShift, v);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector u1 = FloatVector.zero(S);
                FloatVector u2 = FloatVector.zero(S);
                int t = 0;
                int at = i + v;
                for (; t + 1 < run; t += 2, at += 2 * p) {
                    FloatVector d = FloatVector.fromArray(S, x, at).sub(kv);
                    FloatVector e = FloatVector.fromArray(S, x, at + p).sub(kv);
                    FloatVector g = FloatVector.fromArray(S, dy, at).add(penaltyGradient(d, a, b, l2, c));
                    FloatVector h = FloatVector.fromArray(S, dy, at + p).add(penaltyGradient(e, a, b, l2, c));
                    s1 = s1.add(g);
                    s2 = g.fma(d, s2);
                    u1 = u1.add(h);
                    u2 = h.fma(e, u2);
                }
                if (t < run) {
                    FloatVector d = FloatVector.fromArray(S, x, at).sub(kv);
                    FloatVector g = FloatVector.fromArray(S, dy, at).add(penaltyGradient(d, a, b, l2, c));
                    s1 = s1.add(g);
                    s2 = g.fma(d, s2);
                }
                s1.add(u1).intoArray(work[0], v);
                s2.add(u2).intoArray(work[1], v);
            }
            PortableChannelPasses.flush(work[0], work[1], p, layout.channels(), sums, sOff);
            done += run;
            i += run * p;
        }
        int ch = layout.channels();
        for (int j = 0; i < to; i++, j++) {
            // the float the unfused pass stores in dy, then the double products of the unpenalised tail
            double g = dy[i] + PortableChannelPasses.penaltyGradient(outScale[j] * (x[i] - k[j]) + outShift[j], square, c);
            sums[sOff + j % ch] += g;
            sums[sOff + ch + j % ch] += g * (x[i] - k[j]);
        }
    }

    /** addGradient with dy + weight·∂penalty/∂y in place of dy. */
    private static void penalizedGradient(float[] dy, float[] x, float[] gx, int from, int to, ChannelNorm.Layout layout,
            float[] center, float[] scaleDy, float[] scaleX, float[] shift, boolean accumulate, boolean square, float c,
            float[] outScale, float[] outShift) {
        VectorMask<Float> l2 = S.maskAll(square);
        int p = layout.period();
        int i = from;
        for (; i + p <= to; i += p) {
            for (int v = 0; v < p; v += S.length()) {
                FloatVector d = FloatVector.fromArray(S, x, i + v).sub(FloatVector.fromArray(S, center, v));
                FloatVector g = FloatVector.fromArray(S, dy, i + v).add(penaltyGradient(d,
                        FloatVector.fromArray(S, outScale, v), FloatVector.fromArray(S, outShift, v), l2, c));
                FloatVector t = d.fma(FloatVector.fromArray(S, scaleX, v), FloatVector.fromArray(S, shift, v));
                FloatVector r = g.fma(FloatVector.fromArray(S, scaleDy, v), t);
                (accumulate ? r.add(FloatVector.fromArray(S, gx, i + v)) : r).intoArray(gx, i + v);
            }
        }
        for (int j = 0; i < to; i++, j++) {
            float g = dy[i] + PortableChannelPasses.penaltyGradient(outScale[j] * (x[i] - center[j]) + outShift[j], square, c);
            float r = scaleDy[j] * g + (scaleX[j] * (x[i] - center[j]) + shift[j]);
            gx[i] = accumulate ? gx[i] + r : r;
        }
    }
}
