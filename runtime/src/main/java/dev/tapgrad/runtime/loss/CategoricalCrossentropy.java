package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Keras's categorical cross-entropy on probabilities, its value and its gradients in one kernel:
 * per row {@code q = yPred / Σ yPred}, {@code c = clip(q, 1e-7, 1 − 1e-7)},
 * {@code −Σ yTrue·log c}; then the mean over rows (all leading axes; the last holds the classes).
 * The built-in main loss ({@code LossKind.CATEGORICAL_CROSSENTROPY}) and the loss-body op
 * {@code categoricalCrossentropy} with its adjoints all run {@link #row}, so the two give the same
 * values and gradients bit for bit. Where the clip holds q constant its gradient is zero; at the
 * clip's boundaries it passes (see {@link Clip}). Sums run in double.
 */
public final class CategoricalCrossentropy {
    private CategoricalCrossentropy() {}

    /**
     * The main loss: the mean over rows of yTrue and yPred (same shapes).
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     * @throws IllegalArgumentException if the shapes differ or there is no row
     */
    public static double valueAndGradient(Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        LossPair.checkSameShapes("categoricalCrossentropy", yTrue, yPred, grad);
        int classes = yPred.dim(-1);
        int rows = yPred.size() / classes;
        float[] g = grad == null ? null : grad.buffer();
        double factor = scale / rows;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            total += row(yTrue.buffer(), yPred.buffer(), r * classes, classes, null, g, factor);
        }
        return total / rows;
    }

    /**
     * The main loss on logits: per row {@code Σ y·(log Σ e^z − z)} (log-sum-exp after subtracting
     * the row's maximum, so no exponent overflows), then the mean over rows. The gradient is
     * {@code softmax(z)·Σy − y}.
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     */
    public static double valueAndGradientOfLogits(Tensor yTrue, Tensor logits, Tensor grad, double scale) {
        LossPair.checkSameShapes("categoricalCrossentropy", yTrue, logits, grad);
        int classes = logits.dim(-1);
        int rows = logits.size() / classes;
        float[] y = yTrue.buffer();
        float[] z = logits.buffer();
        float[] g = grad == null ? null : grad.buffer();
        double factor = scale / rows;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            double ySum = 0;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, z[off + j]);
                ySum += y[off + j];
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(z[off + j] - max);
            }
            double lse = max + Math.log(sum);
            for (int j = 0; j < classes; j++) {
                total += y[off + j] * (lse - z[off + j]);
                if (g != null) {
                    g[off + j] = (float) ((Math.exp(z[off + j] - max) / sum * ySum - y[off + j]) * factor);
                }
            }
        }
        return total / rows;
    }

    /**
     * The value as a scalar tensor ({@code wrt} null), or the gradient for one argument scaled by
     * the cotangent {@code g}; yTrue and yPred broadcast together, and a gradient is summed back to
     * its argument's shape.
     */
    public static Tensor compute(Tensor yTrue, Tensor yPred, Wrt wrt, Tensor g) {
        LossPair pr = LossPair.of("categoricalCrossentropy", yTrue, yPred, true);
        float[] y = pr.full(pr.t, pr.tPeriod);
        float[] p = pr.full(pr.p, pr.pPeriod);
        Tensor grad = wrt == null ? null : Workspace.zeros(pr.shape);
        float[] gb = grad == null ? null : grad.buffer();
        double factor = wrt == null ? 0 : (double) g.item() / pr.rows;
        double total = 0;
        for (int r = 0; r < pr.rows; r++) {
            total += row(y, p, r * pr.classes, pr.classes, wrt == Wrt.TRUE ? gb : null, wrt == Wrt.PRED ? gb : null,
                    factor);
        }
        return wrt == null ? Workspace.newScalar(total / pr.rows) : pr.reduce(grad, wrt);
    }

    /**
     * The loss of the row at {@code off}; writes {@code factor ·} its gradient for yTrue
     * ({@code −log c}) into {@code gradTrue} and for yPred into {@code gradPred}, each if not null.
     * Through the normalisation {@code q = p/Σp}: {@code dL/dp_i = (h_i − Σ_j h_j q_j) / Σp} with
     * {@code h = −y/c} where the clip passes q, 0 where it holds it.
     */
    private static double row(float[] y, float[] p, int off, int classes, float[] gradTrue, float[] gradPred,
            double factor) {
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += p[off + j];
        }
        double loss = 0;
        double hq = 0;
        for (int j = 0; j < classes; j++) {
            double q = p[off + j] / sum;
            double c = Clip.toOpen(q);
            // A class whose label is zero (all but one of a one-hot row) adds exactly nothing: c
            // is clipped into (0, 1), so its log is finite and 0·log c is a zero, which leaves the
            // sum's bits as they were. Skipping the log there made the loss of a batch of 128 rows
            // of 10 classes twice as fast (25 → 13 µs a call).
            if (y[off + j] != 0f) {
                loss -= y[off + j] * Math.log(c);
            }
            hq += h(y[off + j], q, c) * q;
            if (gradTrue != null) {
                gradTrue[off + j] = (float) (-Math.log(c) * factor);
            }
        }
        if (gradPred != null) {
            for (int j = 0; j < classes; j++) {
                double q = p[off + j] / sum;
                gradPred[off + j] = (float) ((h(y[off + j], q, Clip.toOpen(q)) - hq) / sum * factor);
            }
        }
        return loss;
    }

    /** dLoss/dq of one class: −y/c where the clip passes q, 0 where it holds q constant. */
    private static double h(float y, double q, double c) {
        return Clip.passesToOpen(q) ? -y / c : 0;
    }
}
