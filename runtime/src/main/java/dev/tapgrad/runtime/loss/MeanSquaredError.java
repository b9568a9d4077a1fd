package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Mean squared error, its value and its gradients in one kernel: the mean of {@code (yTrue − yPred)²}
 * over every element (Keras averages the last axis and then the rows, which is the same number).
 * The built-in main loss ({@code LossKind.MSE}), the loss-body op {@code mse} with its adjoints,
 * and the samples' baseline figures all run {@link #sum} and {@link #gradient}. Sums run in double.
 */
public final class MeanSquaredError {
    private MeanSquaredError() {}

    /**
     * The main loss on yTrue and yPred (same shapes).
     *
     * @param grad if not null, overwritten with {@code scale · 2(yPred − yTrue)/n}, n the number of elements
     * @throws IllegalArgumentException if the shapes differ or there is no element
     */
    public static double valueAndGradient(Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        LossPair.checkSameShapes("mse", yTrue, yPred, grad);
        int n = yPred.size();
        if (grad != null) {
            gradient(yTrue.buffer(), yPred.buffer(), n, grad.buffer(), Wrt.PRED, scale / n);
        }
        return sum(yTrue.buffer(), yPred.buffer(), n) / n;
    }

    /**
     * The value as a scalar tensor ({@code wrt} null), or the gradient for one argument scaled by
     * the cotangent {@code g}; yTrue and yPred broadcast together, and a gradient is summed back to
     * its argument's shape.
     */
    public static Tensor compute(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        LossPair pr = LossPair.of("mse", yTrue, yPred, false);
        float[] t = pr.full(pr.t, pr.tPeriod);
        float[] p = pr.full(pr.p, pr.pPeriod);
        int n = Math.max(1, pr.size);
        if (wrt == null) {
            return Workspace.newScalar(sum(t, p, pr.size) / n);
        }
        Tensor grad = Workspace.uninitialized(pr.shape);
        gradient(t, p, pr.size, grad.buffer(), wrt, (double) g.item() / n);
        return pr.reduce(grad, wrt);
    }

    /** {@code Σ (p − t)²} over the first {@code n} values. */
    private static double sum(float[] t, float[] p, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) p[i] - t[i];
            total += d * d;
        }
        return total;
    }

    /** {@code out[i] = factor · 2(p − t)} for yPred, or its negation for yTrue. */
    private static void gradient(float[] t, float[] p, int n, float[] out, Wrt wrt, double factor) {
        double sign = wrt == Wrt.PRED ? 2 : -2;
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sign * ((double) p[i] - t[i]) * factor);
        }
    }
}
