package dev.tapgrad.runtime;

import dev.tapgrad.runtime.kernel.math.ElementMath;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * The loss computations behind {@link LossOps}: each runs on {@code yTrue} and {@code yPred}
 * broadcast to their common shape and returns either the scalar loss or, when asked for one
 * argument ({@link Wrt}), that argument's gradient scaled by the cotangent {@code g} and reduced
 * back to its shape. Sums run in double.
 */
final class LossKernels {
    /** Keras's {@code backend.epsilon()}: the losses clip probabilities at it. */
    static final double EPSILON = 1e-7;
    /** Keras's floor under the squared norm in {@code l2_normalize}. */
    static final double L2_EPSILON = 1e-12;

    /** Values per block where a loop first widens floats to double, then computes on them. */
    private static final int BLOCK = 256;

    private LossKernels() {}

    /** Which argument a gradient is for. */
    enum Wrt { TRUE, PRED }

    /** {@code t·log(t/p)} summed per row, mean over rows; both clipped to [ε, 1]. */
    static Tensor kl(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        // Written out rather than through elementwise's lambdas: this runs on every LSTM state of
        // a batch. Blocks of values are first widened to double, then computed on: a float-to-
        // double conversion feeding Math.log or a division directly chains each value to the
        // previous one (the conversion merges into a register the last result wrote), three times
        // slower. Same expressions in the same order, so the same bits.
        Pair pr = Pair.of("klDivergence", yTrue, yPred, true);
        float[] t = pr.t;
        float[] p = pr.p;
        int n = pr.size;
        if (pr.pPeriod == n && n % pr.tPeriod == 0) {
            if (wrt == null) {
                return klValue(pr);
            }
            if (wrt == Wrt.PRED) {
                return klPredGradient(pr, g.item() / pr.rows);
            }
        }
        double[] tb = Workspace.doubles(Math.min(n, BLOCK));
        double[] pb = Workspace.doubles(tb.length);
        float[] logs = wrt == null ? Workspace.floats(tb.length) : null;
        Tensor grad = wrt == null ? null : Workspace.zeros(pr.shape);
        double factor = wrt == null ? 0 : g.item() / pr.rows;
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
                    ratio[q] = (float) (clip(tb[q]) / clip(pb[q]));
                }
                ElementMath.log(ratio, 0, len);
                for (int q = 0; q < len; q++) {
                    total += clip(tb[q]) * ratio[q];
                }
            } else {
                float[] out = grad.buffer();
                for (int q = 0; q < len; q++) {
                    double tv = tb[q];
                    double pv = pb[q];
                    double d = wrt == Wrt.TRUE ? (inside(tv) ? Math.log(clip(tv) / clip(pv)) + 1 : 0)
                            : (inside(pv) ? -clip(tv) / clip(pv) : 0);
                    out[i0 + q] = (float) (d * factor);
                }
            }
        }
        return wrt == null ? Workspace.newScalar(total / pr.rows) : reduce(grad, wrt, pr.yTrue, pr.yPred);
    }

    /**
     * {@link #kl}'s value when yPred is whole and yTrue repeats along it (a constant target, an
     * LSTM prior's case), as {@code Σ t·log t − Σ t·log p} with clipped t and p: the first sum
     * once per period, the logs of p a row at a time through ElementMath (vectorised where the
     * Vector API is on). Differs from the general path by float rounding of the logs only.
     */
    private static Tensor klValue(Pair pr) {
        float[] t = pr.t;
        float[] p = pr.p;
        int period = pr.tPeriod;
        float[] ct = Workspace.floats(period);
        float[] logs = Workspace.floats(period);
        double tLogT = 0;
        for (int j = 0; j < period; j++) {
            double c = clip(t[j]);
            ct[j] = (float) c;
            tLogT += c * Math.log(c);
        }
        float eps = (float) EPSILON;
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
     * The gradient of {@link #kl} for yPred when yPred is whole and yTrue repeats along it (a
     * constant target distribution, an LSTM prior's case): {@code −clip(t)/clip(p)·factor} where
     * p is inside [ε, 1], else 0. In float and without branches (the clip test is a mask on the
     * bits, as relu's derivative is), which the JIT vectorises; the double path took an eighth of
     * an LSTM step. Differs from the double path by float rounding only.
     */
    private static Tensor klPredGradient(Pair pr, double factor) {
        float[] t = pr.t;
        float[] p = pr.p;
        int period = pr.tPeriod;
        Tensor grad = Workspace.uninitialized(pr.shape);
        float[] out = grad.buffer();
        float[] ct = Workspace.floats(period);
        for (int j = 0; j < period; j++) {
            ct[j] = (float) -clip(t[j]);
        }
        float f = (float) factor;
        float eps = (float) EPSILON;
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
        return reduce(grad, Wrt.PRED, pr.yTrue, pr.yPred);
    }

    /** Mean of {@code (t − p)²} over every element. */
    static Tensor mse(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        Pair pr = Pair.of("mse", yTrue, yPred, false);
        return elementwise(pr, Math.max(1, pr.size), wrt, g,
                (t, p) -> (t - p) * (t - p),
                wrt == Wrt.TRUE ? (t, p) -> 2 * (t - p) : (t, p) -> 2 * (p - t));
    }

    /** Keras's crossentropy on probabilities, rows normalised and clipped to [ε, 1 − ε]; mean over rows. */
    static Tensor crossentropy(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        Pair pr = Pair.of("categoricalCrossentropy", yTrue, yPred, true);
        float[] y = pr.full(pr.t, pr.tPeriod);
        float[] p = pr.full(pr.p, pr.pPeriod);
        int classes = pr.classes;
        Tensor grad = wrt == null ? null : Workspace.zeros(pr.shape);
        double factor = wrt == null ? 0 : g.item() / pr.rows;
        double total = 0;
        for (int r = 0; r < pr.rows; r++) {
            int off = r * classes;
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += p[off + j];
            }
            double hq = 0;
            for (int j = 0; j < classes; j++) {
                double q = p[off + j] / sum;
                double c = Math.min(Math.max(q, EPSILON), 1 - EPSILON);
                total -= y[off + j] * Math.log(c);
                hq += h(y[off + j], q, c) * q;
                if (wrt == Wrt.TRUE) {
                    grad.buffer()[off + j] = (float) (-Math.log(c) * factor);
                }
            }
            if (wrt == Wrt.PRED) {
                for (int j = 0; j < classes; j++) {
                    double q = p[off + j] / sum;
                    double c = Math.min(Math.max(q, EPSILON), 1 - EPSILON);
                    grad.buffer()[off + j] = (float) ((h(y[off + j], q, c) - hq) / sum * factor);
                }
            }
        }
        return wrt == null ? Workspace.newScalar(total / pr.rows) : reduce(grad, wrt, yTrue, yPred);
    }

    /** dLoss/dq of one class: −y/c where the clip passes q through (boundaries included, as torch.clamp). */
    private static double h(float y, double q, double c) {
        return q >= EPSILON && q <= 1 - EPSILON ? -y / c : 0;
    }

    private static double clip(double v) {
        return Math.min(Math.max(v, EPSILON), 1);
    }

    private static boolean inside(double v) {
        return v >= EPSILON && v <= 1;
    }

    /** {@code Σ f(t, p) / divisor}, or the gradient {@code g · df(t, p) / divisor} for one argument. */
    private static Tensor elementwise(Pair pr, double divisor, Wrt wrt, Tensor g,
            DoubleBinaryOperator f, DoubleBinaryOperator df) {
        float[] t = pr.full(pr.t, pr.tPeriod);
        float[] p = pr.full(pr.p, pr.pPeriod);
        if (wrt == null) {
            double total = 0;
            for (int i = 0; i < pr.size; i++) {
                total += f.applyAsDouble(t[i], p[i]);
            }
            return Workspace.newScalar(total / divisor);
        }
        double factor = g.item() / divisor;
        Tensor grad = Workspace.zeros(pr.shape);
        float[] out = grad.buffer();
        for (int i = 0; i < pr.size; i++) {
            out[i] = (float) (df.applyAsDouble(t[i], p[i]) * factor);
        }
        return reduce(grad, wrt, pr.yTrue, pr.yPred);
    }

    private static Tensor reduce(Tensor grad, Wrt wrt, Tensor yTrue, Tensor yPred) {
        return Broadcast.reduceTo(grad, (wrt == Wrt.TRUE ? yTrue : yPred).dims());
    }

    /**
     * The two arguments broadcast to one shape of {@code size} values, with its rows and classes
     * (the last axis). An argument whose values repeat along the broadcast shape (its own shape,
     * leading 1s aside, is the trailing part of it: a constant target distribution against a batch)
     * is not copied: {@code t} or {@code p} is its buffer, read with index {@code i mod period}.
     * Any other broadcast is materialised (period = size).
     */
    private static final class Pair {
        /** One per thread, refilled by every {@link #of}: a loss holds one pair at a time, and a step allocates none. */
        private static final ThreadLocal<Pair> REUSED = ThreadLocal.withInitial(Pair::new);

        Tensor yTrue;
        Tensor yPred;
        float[] t;
        int tPeriod;
        float[] p;
        int pPeriod;
        int[] shape;
        int size;
        int rows;
        int classes;

        static Pair of(String op, Tensor yTrue, Tensor yPred, boolean needsClasses) {
            int[] shape;
            try {
                shape = Broadcast.shape(yTrue.dims(), yPred.dims());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + "(yTrue " + Arrays.toString(yTrue.shape()) + ", yPred "
                        + Arrays.toString(yPred.shape()) + "): the shapes do not broadcast", e);
            }
            if (needsClasses && shape.length == 0) {
                throw new IllegalArgumentException(op + " needs a class axis, but yTrue and yPred are scalars");
            }
            int classes = shape.length == 0 ? 1 : shape[shape.length - 1];
            int size = 1;
            for (int d : shape) {
                size *= d;
            }
            int rows = classes == 0 ? 0 : size / classes;
            Tensor t = repeats(yTrue, shape) ? yTrue : OpSupport.broadcastTo(yTrue, shape);
            Tensor p = repeats(yPred, shape) ? yPred : OpSupport.broadcastTo(yPred, shape);
            Pair pair = REUSED.get();
            pair.yTrue = yTrue;
            pair.yPred = yPred;
            pair.t = t.buffer();
            pair.tPeriod = Math.max(1, t.size());
            pair.p = p.buffer();
            pair.pPeriod = Math.max(1, p.size());
            pair.shape = shape;
            pair.size = size;
            pair.rows = Math.max(rows, 1);
            pair.classes = classes;
            return pair;
        }

        /** Whether x's values, repeated, are x broadcast to {@code shape}. */
        private static boolean repeats(Tensor x, int[] shape) {
            int[] own = x.dims();
            int lead = 0;
            while (lead < own.length && own[lead] == 1) {
                lead++;
            }
            int n = own.length - lead;
            if (n > shape.length || x.size() == 0) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (own[lead + i] != shape[shape.length - n + i]) {
                    return false;
                }
            }
            return true;
        }

        /** The argument's values at every position of the broadcast shape. */
        float[] full(float[] values, int period) {
            if (period == size || size == 0) {
                return values;
            }
            float[] out = Workspace.floats(size);
            for (int i = 0; i < size; i += period) {
                System.arraycopy(values, 0, out, i, period);
            }
            return out;
        }
    }
}
