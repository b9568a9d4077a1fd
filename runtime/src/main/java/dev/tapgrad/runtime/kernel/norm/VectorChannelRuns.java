package dev.tapgrad.runtime.kernel.norm;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorChannelPasses}' loops for periods of one, two or four vectors (8, 16, 32 or 64
 * channels with 16 lanes): four (or, where the penalty's gradient needs registers of its own, two)
 * consecutive vectors a step, one contiguous loop with a constant stride, the per-channel vectors
 * of each position kept in registers. C2 (JDK 17) compiles such a loop as a counted loop; the
 * general loops step by the period (a variable stride) and ran at a third of this speed even on
 * data in L2 (11-17 cycles a vector for scale-and-shift and dx, 4-8 here). Each method does the
 * whole steps of [from, to) and returns where it stopped (at {@code from} where the period does not
 * fit its step); the caller's general loop does the rest. Sums keep one accumulator per position
 * of at most 32 vectors before they go to double, the positions of a channel vector added in a
 * fixed order; the elementwise passes compute every float as the general loops do. The penalty's
 * gradient is VectorChannelPasses.penaltyGradient's operations written out in the loops: called
 * from here too, that method was compiled on its own, then too large to inline, and its vectors
 * went to the heap (boxed) in every caller.
 */
final class VectorChannelRuns {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int STEP = 4 * L;
    /** Steps per float run of a sum: each of the four accumulators takes one vector a step. */
    private static final int SUM_STEPS = 32;

    private VectorChannelRuns() {
    }

    /** Whether these loops take a period of {@code p} floats: one, two or four vectors. */
    static boolean fits(int p) {
        return STEP % p == 0;
    }

    /** The whole steps of {@link VectorChannelPasses#shiftedSums}; returns where it stopped. */
    static int shiftedSums(float[] x, int from, int to, ChannelNorm.Layout layout, float[] k, float[][] work,
            double[] sums, int sOff) {
        int p = layout.period();
        FloatVector k0 = FloatVector.fromArray(S, k, 0);
        FloatVector k1 = FloatVector.fromArray(S, k, L % p);
        FloatVector k2 = FloatVector.fromArray(S, k, 2 * L % p);
        FloatVector k3 = FloatVector.fromArray(S, k, 3 * L % p);
        int i = from;
        int steps = (to - from) / STEP;
        for (int done = 0; done < steps;) {
            int run = Math.min(SUM_STEPS, steps - done);
            int end = i + run * STEP;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            FloatVector q0 = FloatVector.zero(S);
            FloatVector q1 = FloatVector.zero(S);
            FloatVector q2 = FloatVector.zero(S);
            FloatVector q3 = FloatVector.zero(S);
            for (; i < end; i += STEP) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(k0);
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(k1);
                FloatVector d2 = FloatVector.fromArray(S, x, i + 2 * L).sub(k2);
                FloatVector d3 = FloatVector.fromArray(S, x, i + 3 * L).sub(k3);
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                s2 = s2.add(d2);
                s3 = s3.add(d3);
                q0 = d0.fma(d0, q0);
                q1 = d1.fma(d1, q1);
                q2 = d2.fma(d2, q2);
                q3 = d3.fma(d3, q3);
            }
            // the positions of one channel vector added in a fixed order, in registers (no call between vectors)
            if (p == L) {
                s0.add(s1).add(s2.add(s3)).intoArray(work[0], 0);
                q0.add(q1).add(q2.add(q3)).intoArray(work[1], 0);
            } else if (p == 2 * L) {
                s0.add(s2).intoArray(work[0], 0);
                s1.add(s3).intoArray(work[0], L);
                q0.add(q2).intoArray(work[1], 0);
                q1.add(q3).intoArray(work[1], L);
            } else {
                s0.intoArray(work[0], 0);
                s1.intoArray(work[0], L);
                s2.intoArray(work[0], 2 * L);
                s3.intoArray(work[0], 3 * L);
                q0.intoArray(work[1], 0);
                q1.intoArray(work[1], L);
                q2.intoArray(work[1], 2 * L);
                q3.intoArray(work[1], 3 * L);
            }
            PortableChannelPasses.flush(work[0], work[1], p, layout.channels(), sums, sOff);
            done += run;
        }
        return i;
    }

    /**
     * The whole steps of {@link VectorChannelPasses#productSums}, two positions a step, with dy or,
     * for a {@code penalty}, dy + c·∂penalty/∂y at y = outScale·(x − k) + outShift (the operations
     * of VectorChannelPasses.penaltyGradient written out, one loop per penalty: that method called
     * from here was compiled on its own, then too large to inline, and its vectors went to the heap).
     * One order of addition for all three, so that the penalised sums are the bits of adding the
     * penalty's gradient to dy in a pass before. Returns where it stopped (at {@code from} for a
     * four-vector period, which the general loop takes).
     */
    static int productSums(float[] dy, float[] x, int from, int to, ChannelNorm.Layout layout, float[] k,
            float[][] work, double[] sums, int sOff, int penalty, float c, float[] outScale, float[] outShift) {
        int p = layout.period();
        if (2 * L % p != 0) {
            return from;
        }
        boolean penalized = penalty != ChannelNorm.NO_PENALTY;
        FloatVector k0 = FloatVector.fromArray(S, k, 0);
        FloatVector k1 = FloatVector.fromArray(S, k, L % p);
        // without a penalty these are never read
        FloatVector a0 = FloatVector.fromArray(S, penalized ? outScale : k, 0);
        FloatVector a1 = FloatVector.fromArray(S, penalized ? outScale : k, L % p);
        FloatVector b0 = FloatVector.fromArray(S, penalized ? outShift : k, 0);
        FloatVector b1 = FloatVector.fromArray(S, penalized ? outShift : k, L % p);
        int step = 2 * L;
        int i = from;
        int steps = (to - from) / step;
        for (int done = 0; done < steps;) {
            int run = Math.min(SUM_STEPS, steps - done);
            int end = i + run * step;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector q0 = FloatVector.zero(S);
            FloatVector q1 = FloatVector.zero(S);
            if (penalty == ChannelNorm.ABS) {
                for (; i < end; i += step) {
                    FloatVector d0 = FloatVector.fromArray(S, x, i).sub(k0);
                    FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(k1);
                    FloatVector y0 = d0.fma(a0, b0);
                    FloatVector y1 = d1.fma(a1, b1);
                    FloatVector g0 = FloatVector.fromArray(S, dy, i)
                            .add(y0.mul(c).blend(c, y0.compare(GT, 0f)).blend(-c, y0.compare(LT, 0f)));
                    FloatVector g1 = FloatVector.fromArray(S, dy, i + L)
                            .add(y1.mul(c).blend(c, y1.compare(GT, 0f)).blend(-c, y1.compare(LT, 0f)));
                    s0 = s0.add(g0);
                    s1 = s1.add(g1);
                    q0 = g0.fma(d0, q0);
                    q1 = g1.fma(d1, q1);
                }
            } else if (penalty == ChannelNorm.SQUARE) {
                for (; i < end; i += step) {
                    FloatVector d0 = FloatVector.fromArray(S, x, i).sub(k0);
                    FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(k1);
                    FloatVector g0 = FloatVector.fromArray(S, dy, i).add(d0.fma(a0, b0).mul(2f).mul(c));
                    FloatVector g1 = FloatVector.fromArray(S, dy, i + L).add(d1.fma(a1, b1).mul(2f).mul(c));
                    s0 = s0.add(g0);
                    s1 = s1.add(g1);
                    q0 = g0.fma(d0, q0);
                    q1 = g1.fma(d1, q1);
                }
            } else {
                for (; i < end; i += step) {
                    FloatVector g0 = FloatVector.fromArray(S, dy, i);
                    FloatVector g1 = FloatVector.fromArray(S, dy, i + L);
                    s0 = s0.add(g0);
                    s1 = s1.add(g1);
                    q0 = g0.fma(FloatVector.fromArray(S, x, i).sub(k0), q0);
                    q1 = g1.fma(FloatVector.fromArray(S, x, i + L).sub(k1), q1);
                }
            }
            // the positions of one channel vector added in registers (a one-vector period has both in it)
            if (p == L) {
                s0.add(s1).intoArray(work[0], 0);
                q0.add(q1).intoArray(work[1], 0);
            } else {
                s0.intoArray(work[0], 0);
                s1.intoArray(work[0], L);
                q0.intoArray(work[1], 0);
                q1.intoArray(work[1], L);
            }
            PortableChannelPasses.flush(work[0], work[1], p, layout.channels(), sums, sOff);
            done += run;
        }
        return i;
    }

    /** The whole steps of the unpenalised {@link VectorChannelPasses#scaleShift}; returns where it stopped. */
    static int scaleShift(float[] x, float[] y, int from, int to, int p, float[] center, float[] scale, float[] shift) {
        FloatVector c0 = FloatVector.fromArray(S, center, 0);
        FloatVector c1 = FloatVector.fromArray(S, center, L % p);
        FloatVector c2 = FloatVector.fromArray(S, center, 2 * L % p);
        FloatVector c3 = FloatVector.fromArray(S, center, 3 * L % p);
        FloatVector a0 = FloatVector.fromArray(S, scale, 0);
        FloatVector a1 = FloatVector.fromArray(S, scale, L % p);
        FloatVector a2 = FloatVector.fromArray(S, scale, 2 * L % p);
        FloatVector a3 = FloatVector.fromArray(S, scale, 3 * L % p);
        FloatVector b0 = FloatVector.fromArray(S, shift, 0);
        FloatVector b1 = FloatVector.fromArray(S, shift, L % p);
        FloatVector b2 = FloatVector.fromArray(S, shift, 2 * L % p);
        FloatVector b3 = FloatVector.fromArray(S, shift, 3 * L % p);
        int end = from + (to - from) / STEP * STEP;
        int i = from;
        for (; i < end; i += STEP) {
            FloatVector.fromArray(S, x, i).sub(c0).fma(a0, b0).intoArray(y, i);
            FloatVector.fromArray(S, x, i + L).sub(c1).fma(a1, b1).intoArray(y, i + L);
            FloatVector.fromArray(S, x, i + 2 * L).sub(c2).fma(a2, b2).intoArray(y, i + 2 * L);
            FloatVector.fromArray(S, x, i + 3 * L).sub(c3).fma(a3, b3).intoArray(y, i + 3 * L);
        }
        return i;
    }

    /**
     * The whole steps of {@link VectorChannelPasses#addGradient}, penalised or not ({@code
     * penalized}, {@code square}, c, outScale, outShift as there), two positions a step; returns
     * where it stopped (at {@code from} for a period of four vectors, which the general loop takes).
     */
    static int addGradient(float[] dy, float[] x, float[] gx, int from, int to, int p, float[] center,
            float[] scaleDy, float[] scaleX, float[] shift, boolean accumulate, int penalty, float c,
            float[] outScale, float[] outShift) {
        boolean penalized = penalty != ChannelNorm.NO_PENALTY;
        boolean l1 = penalty == ChannelNorm.ABS;
        if (2 * L % p != 0) {
            return from;
        }
        FloatVector c0 = FloatVector.fromArray(S, center, 0);
        FloatVector c1 = FloatVector.fromArray(S, center, L % p);
        FloatVector x0 = FloatVector.fromArray(S, scaleX, 0);
        FloatVector x1 = FloatVector.fromArray(S, scaleX, L % p);
        FloatVector h0 = FloatVector.fromArray(S, shift, 0);
        FloatVector h1 = FloatVector.fromArray(S, shift, L % p);
        FloatVector g0 = FloatVector.fromArray(S, scaleDy, 0);
        FloatVector g1 = FloatVector.fromArray(S, scaleDy, L % p);
        // with no penalty these are never read: the penalised loop below is the only one that uses them
        FloatVector a0 = FloatVector.fromArray(S, penalized ? outScale : scaleDy, 0);
        FloatVector a1 = FloatVector.fromArray(S, penalized ? outScale : scaleDy, L % p);
        FloatVector b0 = FloatVector.fromArray(S, penalized ? outShift : scaleDy, 0);
        FloatVector b1 = FloatVector.fromArray(S, penalized ? outShift : scaleDy, L % p);
        int step = 2 * L;
        int end = from + (to - from) / step * step;
        int i = from;
        // one loop per mode: a choice between two vectors inside a loop made C2 (JDK 17) box them
        if (penalized && accumulate) {
            return from; // the general loop (not a step of the generated graphs: a BatchNorm's dL/dx is written there)
        } else if (penalized && !l1) {
            for (; i < end; i += step) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(c0);
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(c1);
                FloatVector.fromArray(S, dy, i).add(d0.fma(a0, b0).mul(2f).mul(c)).fma(g0, d0.fma(x0, h0)).intoArray(gx, i);
                FloatVector.fromArray(S, dy, i + L).add(d1.fma(a1, b1).mul(2f).mul(c)).fma(g1, d1.fma(x1, h1))
                        .intoArray(gx, i + L);
            }
        } else if (penalized) {
            for (; i < end; i += step) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(c0);
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(c1);
                FloatVector y0 = d0.fma(a0, b0);
                FloatVector y1 = d1.fma(a1, b1);
                FloatVector.fromArray(S, dy, i).add(y0.mul(c).blend(c, y0.compare(GT, 0f)).blend(-c, y0.compare(LT, 0f)))
                        .fma(g0, d0.fma(x0, h0)).intoArray(gx, i);
                FloatVector.fromArray(S, dy, i + L).add(y1.mul(c).blend(c, y1.compare(GT, 0f)).blend(-c, y1.compare(LT, 0f)))
                        .fma(g1, d1.fma(x1, h1)).intoArray(gx, i + L);
            }
        } else if (accumulate) {
            for (; i < end; i += step) {
                FloatVector.fromArray(S, dy, i).fma(g0, FloatVector.fromArray(S, x, i).sub(c0).fma(x0, h0))
                        .add(FloatVector.fromArray(S, gx, i)).intoArray(gx, i);
                FloatVector.fromArray(S, dy, i + L).fma(g1, FloatVector.fromArray(S, x, i + L).sub(c1).fma(x1, h1))
                        .add(FloatVector.fromArray(S, gx, i + L)).intoArray(gx, i + L);
            }
        } else {
            for (; i < end; i += step) {
                FloatVector.fromArray(S, dy, i).fma(g0, FloatVector.fromArray(S, x, i).sub(c0).fma(x0, h0)).intoArray(gx, i);
                FloatVector.fromArray(S, dy, i + L).fma(g1, FloatVector.fromArray(S, x, i + L).sub(c1).fma(x1, h1))
                        .intoArray(gx, i + L);
            }
        }
        return i;
    }

    /**
     * The whole steps of the penalised scaleShift (an L2 penalty if {@code square}, else L1), two
     * positions a step: {@code sums[sOff] +=} Σ|y| or Σy², each position's float sum
     * over {@link ChannelNorm#PENALTY_PERIODS} steps, then its lanes in double ({@code spill}: a
     * vector of scratch); returns where it stopped (at {@code from} for a four-vector period).
     */
    static int scaleShiftSum(float[] x, float[] y, int from, int to, int p, float[] center, float[] scale,
            float[] shift, float[] spill, boolean square, double[] sums, int sOff) {
        if (2 * L % p != 0) {
            return from;
        }
        FloatVector c0 = FloatVector.fromArray(S, center, 0);
        FloatVector c1 = FloatVector.fromArray(S, center, L % p);
        FloatVector a0 = FloatVector.fromArray(S, scale, 0);
        FloatVector a1 = FloatVector.fromArray(S, scale, L % p);
        FloatVector b0 = FloatVector.fromArray(S, shift, 0);
        FloatVector b1 = FloatVector.fromArray(S, shift, L % p);
        int step = 2 * L;
        int steps = (to - from) / step;
        int i = from;
        double sum = 0;
        for (int done = 0; done < steps;) {
            int run = Math.min(ChannelNorm.PENALTY_PERIODS, steps - done);
            int end = i + run * step;
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            // |y|·1 + acc is acc + |y|, and |y|·|y| + acc is y·y + acc: the floats of the general loop's term
            if (square) {
                for (; i < end; i += step) {
                    FloatVector y0 = FloatVector.fromArray(S, x, i).sub(c0).fma(a0, b0);
                    FloatVector y1 = FloatVector.fromArray(S, x, i + L).sub(c1).fma(a1, b1);
                    y0.intoArray(y, i);
                    y1.intoArray(y, i + L);
                    acc0 = y0.fma(y0, acc0);
                    acc1 = y1.fma(y1, acc1);
                }
            } else {
                for (; i < end; i += step) {
                    FloatVector y0 = FloatVector.fromArray(S, x, i).sub(c0).fma(a0, b0);
                    FloatVector y1 = FloatVector.fromArray(S, x, i + L).sub(c1).fma(a1, b1);
                    y0.intoArray(y, i);
                    y1.intoArray(y, i + L);
                    acc0 = acc0.add(y0.abs());
                    acc1 = acc1.add(y1.abs());
                }
            }
            acc0.intoArray(spill, 0);
            sum += PortableChannelPasses.total(spill, L);
            acc1.intoArray(spill, 0);
            sum += PortableChannelPasses.total(spill, L);
            done += run;
        }
        sums[sOff] += sum;
        return i;
    }
}
