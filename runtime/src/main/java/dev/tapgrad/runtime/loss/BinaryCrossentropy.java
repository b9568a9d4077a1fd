package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Keras's binary crossentropy, its value and its gradients in one kernel. On probabilities, per
 * value {@code c = clip(p, 1e-7, 1 − 1e-7)} and {@code −(y·log c + (1 − y)·log(1 − c))}, as Keras 3
 * writes it (Keras 2 added another 1e-7 inside the logs); on logits z, the stable
 * {@code max(z, 0) − z·y + log(1 + e^−|z|)}, which is TensorFlow's
 * {@code sigmoid_cross_entropy_with_logits}. Then the mean over the last axis and over the rows,
 * which is the mean over every value. The built-in main loss ({@code LossKind.BINARY_CROSSENTROPY})
 * and the loss-body op {@code binaryCrossentropy} with its adjoints run {@link #value} and
 * {@link #derivative}. Sums run in double.
 */
public final class BinaryCrossentropy {
    private BinaryCrossentropy() {}

    /**
     * The main loss on yTrue and yPred (same shapes).
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     * @param logits whether yPred holds logits rather than probabilities
     * @throws IllegalArgumentException if the shapes differ or there is no value
     */
    public static double valueAndGradient(Tensor yTrue, Tensor yPred, Tensor grad, double scale, boolean logits) {
        LossPair.checkSameShapes("binaryCrossentropy", yTrue, yPred, grad);
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        int n = yPred.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += value(y[i], p[i], logits);
        }
        if (grad != null) {
            float[] g = grad.buffer();
            double factor = scale / n;
            for (int i = 0; i < n; i++) {
                g[i] = (float) (derivative(y[i], p[i], logits, Wrt.PRED) * factor);
            }
        }
        return total / n;
    }

    /**
     * The value on probabilities as a scalar tensor ({@code wrt} null), or the gradient for one
     * argument scaled by the cotangent {@code g}; yTrue and yPred broadcast together, and a gradient
     * is summed back to its argument's shape.
     */
    public static Tensor compute(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        LossPair pr = LossPair.of("binaryCrossentropy", yTrue, yPred, false);
        float[] t = pr.full(pr.t, pr.tPeriod);
        float[] p = pr.full(pr.p, pr.pPeriod);
        int n = Math.max(1, pr.size);
        if (wrt == null) {
            double total = 0;
            for (int i = 0; i < pr.size; i++) {
                total += value(t[i], p[i], false);
            }
            return Workspace.newScalar(total / n);
        }
        Tensor grad = Workspace.uninitialized(pr.shape);
        float[] out = grad.buffer();
        double factor = (double) g.item() / n;
        for (int i = 0; i < pr.size; i++) {
            out[i] = (float) (derivative(t[i], p[i], false, wrt) * factor);
        }
        return pr.reduce(grad, wrt);
    }

    /** The loss of one value. */
    static double value(double y, double p, boolean logits) {
        if (logits) {
            return Math.max(p, 0) - p * y + Math.log1p(Math.exp(-Math.abs(p)));
        }
        double c = Clip.toOpen(p);
        return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
    }

    /**
     * The derivative of {@link #value} for one argument: for the prediction {@code sigmoid(z) − y} on
     * logits, {@code (1 − y)/(1 − c) − y/c} on probabilities where the clip passes p (0 where it holds
     * it); for the label {@code −z}, or {@code log(1 − c) − log c}.
     */
    static double derivative(double y, double p, boolean logits, Wrt wrt) {
        if (logits) {
            return wrt == Wrt.TRUE ? -p : sigmoid(p) - y;
        }
        double c = Clip.toOpen(p);
        if (wrt == Wrt.TRUE) {
            return Math.log(1 - c) - Math.log(c);
        }
        return Clip.passesToOpen(p) ? (1 - y) / (1 - c) - y / c : 0;
    }

    /** The logistic function, without overflow for large |z|. */
    private static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
