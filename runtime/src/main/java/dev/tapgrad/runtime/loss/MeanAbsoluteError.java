package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Mean absolute error and Keras's Huber loss (delta 1), their values and gradients in one kernel
 * each: per value {@code |e|}, or {@code ½e²} where {@code |e| ≤ 1} and {@code |e| − ½} beyond, with
 * {@code e = yPred − yTrue}; then the mean over the last axis and over the rows, which is the mean
 * over every value. The built-in main losses ({@code LossKind.MAE}, {@code LossKind.HUBER}) and the
 * loss-body ops {@code meanAbsoluteError} and {@code huber} with their adjoints run {@link #value}
 * and {@link #derivative}. At {@code e = 0} the derivative of |e| is 0, as PyTorch's and
 * TensorFlow's. Sums run in double.
 */
public final class MeanAbsoluteError {
    /** Keras's default {@code delta} of the Huber loss. */
    static final double HUBER_DELTA = 1.0;

    private MeanAbsoluteError() {}

    /** Which of the two losses. */
    public enum Kind {
        /** {@code |e|}. */
        MAE,
        /** {@code ½e²} within delta 1, {@code |e| − ½} beyond. */
        HUBER
    }

    /**
     * The main loss on yTrue and yPred (same shapes).
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     * @throws IllegalArgumentException if the shapes differ or there is no value
     */
    public static double valueAndGradient(Kind kind, Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        LossPair.checkSameShapes(name(kind), yTrue, yPred, grad);
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        int n = yPred.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += value(kind, (double) p[i] - y[i]);
        }
        if (grad != null) {
            float[] g = grad.buffer();
            double factor = scale / n;
            for (int i = 0; i < n; i++) {
                g[i] = (float) (derivative(kind, (double) p[i] - y[i]) * factor);
            }
        }
        return total / n;
    }

    /**
     * The value as a scalar tensor ({@code wrt} null), or the gradient for one argument scaled by
     * the cotangent {@code g}; yTrue and yPred broadcast together, and a gradient is summed back to
     * its argument's shape.
     */
    public static Tensor compute(Kind kind, Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        LossPair pr = LossPair.of(name(kind), yTrue, yPred, false);
        float[] t = pr.full(pr.t, pr.tPeriod);
        float[] p = pr.full(pr.p, pr.pPeriod);
        int n = Math.max(1, pr.size);
        if (wrt == null) {
            double total = 0;
            for (int i = 0; i < pr.size; i++) {
                total += value(kind, (double) p[i] - t[i]);
            }
            return Workspace.newScalar(total / n);
        }
        Tensor grad = Workspace.uninitialized(pr.shape);
        float[] out = grad.buffer();
        double factor = (wrt == Wrt.PRED ? 1 : -1) * (double) g.item() / n;
        for (int i = 0; i < pr.size; i++) {
            out[i] = (float) (derivative(kind, (double) p[i] - t[i]) * factor);
        }
        return pr.reduce(grad, wrt);
    }

    /** The loss of one error {@code e = p − y}. */
    static double value(Kind kind, double e) {
        double a = Math.abs(e);
        if (kind == Kind.MAE) {
            return a;
        }
        return a <= HUBER_DELTA ? 0.5 * e * e : HUBER_DELTA * a - 0.5 * HUBER_DELTA * HUBER_DELTA;
    }

    /** d value / d e: {@code sign(e)} (0 at 0), or for Huber {@code e} within delta and {@code delta·sign(e)} beyond. */
    static double derivative(Kind kind, double e) {
        if (kind == Kind.HUBER && Math.abs(e) <= HUBER_DELTA) {
            return e;
        }
        return kind == Kind.HUBER ? HUBER_DELTA * Math.signum(e) : Math.signum(e);
    }

    private static String name(Kind kind) {
        return kind == Kind.MAE ? "meanAbsoluteError" : "huber";
    }
}
