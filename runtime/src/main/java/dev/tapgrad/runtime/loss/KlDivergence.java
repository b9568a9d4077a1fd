package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import dev.tapgrad.runtime.kernel.math.ElementMath;

/**
 * Keras's {@code KLDivergence} loss, its value and its gradients in one kernel: per row
 * {@code Σ t·log(t / p)} with {@code t = clip(yTrue, 1e-7, 1)} and {@code p = clip(yPred, 1e-7, 1)},
 * then the mean over rows. yTrue and yPred broadcast together (a constant target distribution
 * against a batch of predictions is read in place, not copied). The op
 * {@code dev.tapgrad.runtime.ops.Losses#klDivergence} and its adjoints call it. Sums run in double.
 */
public final class KlDivergence {
    /** Values per block where a loop first widens floats to double, then computes on them. */
    private static final int BLOCK = 256;

    private KlDivergence() {}

    /**
     * The value ({@code wrt} null: a scalar) or the gradient for one argument scaled by the
     * cotangent {@code g}: {@code t·log(t/p)} summed per row, mean over rows; both clipped to
     * [ε, 1], the gradient zero where the clip holds an argument constant (its boundaries
     * included, as {@code torch.clamp}).
     */
    public static Tensor compute(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        // Written out rather than through elementwise's lambdas: this runs on every LSTM state of
        // a batch. Blocks of values are first widened to double, then computed on: a float-to-
        // double conversion feeding Math.log or a division directly chains each value to the
        // previous one (the conversion merges into a register the last result wrote), three times
        // slower. Same expressions in the same order, so the same bits.
        LossPair pr = LossPair.of("klDivergence", yTrue, yPred, true);
        float[] t = pr.t;
        float[] p = pr.p;
        int n = pr.size;
        if (pr.pPeriod == n && n % pr.tPeriod == 0) {
            if (wrt == null) {
                return klValue(pr);
            }
            if (wrt == Wrt.PRED) {
                return klPredGradient(pr, (double) g.item() / pr.rows);
            }
        }
        double[] tb = Workspace.doubles(Math.min(n, BLOCK));
        double[] pb = Workspace.doubles(tb.length);
        float[] logs = wrt == null ? Workspace.floats(tb.length) : null;
        Tensor grad = wrt == null ? null : Workspace.zeros(pr.shape);
        double factor = wrt == null ? 0 : (double) g.item() / pr.rows;
        double total = 0;
        for (int i0 = 0, it = 0, ip = 0; i0 < n; i0 += BLOCK) {
            int len = Math.min(BLOCK, n - i0);
            for (int q = 0; q < len; q++) {
                tb[q] = t[it];
                pb[q] = p[ip];
                if (++it == pr.tPeriod) {
                    it = 0;
                }
                if (++ip == pr.pPeriod) {
                    ip = 0;
                }
            }
            if (wrt == null) {
                // The logs a block at a time through ElementMath (vectorised where the Vector API
                // is on: an LSTM prior takes one per state value and step); the ratio is rounded to
                // float first, which moves the term by float rounding only.
                float[] ratio = logs;
                for (int q = 0; q < len; q++) {
                    ratio[q] = (float) (Clip.toUnit(tb[q]) / Clip.toUnit(pb[q]));
                }
                ElementMath.log(ratio, 0, len);
                for (int q = 0; q < len; q++) {
                    total += Clip.toUnit(tb[q]) * ratio[q];
                }
            } else {
                float[] out = grad.buffer();
                for (int q = 0; q < len; q++) {
                    double tv = tb[q];
                    double pv = pb[q];
                    double ct = Clip.toUnit(tv);
                    double cp = Clip.toUnit(pv);
                    double d = wrt == Wrt.TRUE ? (Clip.passesToUnit(tv) ? Math.log(ct / cp) + 1 : 0)
                            : (Clip.passesToUnit(pv) ? -ct / cp : 0);
                    out[i0 + q] = (float) (d * factor);
                }
            }
        }
        return wrt == null ? Workspace.newScalar(total / pr.rows) : pr.reduce(grad, wrt);
    }

    /**
     * {@link #compute}'s value when yPred is whole and yTrue repeats along it (a constant target, an
     * LSTM prior's case), as {@code Σ t·log t − Σ t·log p} with clipped t and p: the first sum
     * once per period, the logs of p a row at a time through ElementMath (vectorised where the
     * Vector API is on). Differs from the general path by float rounding of the logs only.
     */
    private static Tensor klValue(LossPair pr) {
        float[] t = pr.t;
        float[] p = pr.p;
        int period = pr.tPeriod;
        float[] ct = Workspace.floats(period);
        float[] logs = Workspace.floats(period);
        double tLogT = 0;
        for (int j = 0; j < period; j++) {
            double c = Clip.toUnit(t[j]);
            ct[j] = (float) c;
            tLogT += c * Math.log(c);
        }
        float eps = (float) Clip.EPSILON;
        double cross = 0;
        for (int o = 0; o < pr.size; o += period) {
            for (int j = 0; j < period; j++) {
                logs[j] = Math.min(Math.max(p[o + j], eps), 1f); // NaN stays NaN
            }
            ElementMath.log(logs, 0, period);
            for (int j = 0; j < period; j++) {
                cross += ct[j] * (double) logs[j];
            }
        }
        return Workspace.newScalar((tLogT * (pr.size / period) - cross) / pr.rows);
    }

    /**
     * The gradient of {@link #compute} for yPred when yPred is whole and yTrue repeats along it (a
     * constant target distribution, an LSTM prior's case): {@code −clip(t)/clip(p)·factor}
     * where p is inside [ε, 1], else 0. In float and without branches (the clip test is a mask on the
     * bits, as relu's derivative is), which the JIT vectorises; the double path took an eighth of
     * an LSTM step. Differs from the double path by float rounding only.
     */
    private static Tensor klPredGradient(LossPair pr, double factor) {
        float[] t = pr.t;
        float[] p = pr.p;
        int period = pr.tPeriod;
        Tensor grad = Workspace.uninitialized(pr.shape);
        float[] out = grad.buffer();
        float[] ct = Workspace.floats(period);
        for (int j = 0; j < period; j++) {
            ct[j] = (float) -Clip.toUnit(t[j]);
        }
        float f = (float) factor;
        float eps = (float) Clip.EPSILON;
        int lo = Float.floatToRawIntBits(eps);
        int hi = Float.floatToRawIntBits(1f);
        for (int o = 0; o < pr.size; o += period) {
            for (int j = 0; j < period; j++) {
                float pv = p[o + j];
                float d = ct[j] / Math.min(Math.max(pv, eps), 1f) * f;
                // All ones where p is outside [ε, 1] (negative, NaN, above 1 or below ε): the clip is flat there.
                int b = Float.floatToRawIntBits(pv);
                int outside = ((b - lo) | (hi - b)) >> 31;
                out[o + j] = Float.intBitsToFloat(Float.floatToRawIntBits(d) & ~outside);
            }
        }
        return pr.reduce(grad, Wrt.PRED);
    }
}
