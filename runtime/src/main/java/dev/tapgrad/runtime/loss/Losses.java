package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * The built-in main losses with Keras's formulas and reduction, each returning the mean over
 * examples and, when asked, writing its own gradient. Rows are all leading dimensions (a sequence
 * output (N, T, C) has N·T rows); the last axis holds classes or features. Sums run in double so
 * the value does not drift with the batch size.
 */
public final class Losses {
    /** Keras's {@code backend.epsilon()}: probabilities are clipped to [EPS, 1 − EPS]. */
    public static final double EPS = 1e-7;

    private Losses() {}

    /**
     * Keras's categorical cross-entropy on probabilities: per row, {@code q = p / Σp},
     * {@code c = clip(q, 1e-7, 1 − 1e-7)}, {@code loss = −Σ y·log c}; returns the mean over rows.
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred} (zero where q was
     *     clipped, as the clip's derivative is zero there)
     */
    public static double categoricalCrossentropy(Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        checkShapes("categoricalCrossentropy", yTrue, yPred, grad);
        int classes = yPred.dim(-1);
        int rows = yPred.size() / classes;
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        float[] g = grad == null ? null : grad.buffer();
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += p[off + j];
            }
            double rowLoss = 0;
            double hq = 0;
            for (int j = 0; j < classes; j++) {
                double q = p[off + j] / sum;
                double c = Math.min(Math.max(q, EPS), 1 - EPS);
                rowLoss -= y[off + j] * Math.log(c);
                hq += h(y[off + j], q, c) * q;
            }
            total += rowLoss;
            if (g != null) {
                // Through the normalisation q = p/Σp: dL/dp_i = (h_i − Σ_j h_j q_j) / Σp.
                double factor = scale / (sum * rows);
                for (int j = 0; j < classes; j++) {
                    double q = p[off + j] / sum;
                    double c = Math.min(Math.max(q, EPS), 1 - EPS);
                    g[off + j] = (float) ((h(y[off + j], q, c) - hq) * factor);
                }
            }
        }
        return total / rows;
    }

    /** dL/dq_j of one row: −y/c inside the clip range, 0 where the clip holds q constant. */
    private static double h(float y, double q, double c) {
        return q > EPS && q < 1 - EPS ? -y / c : 0;
    }

    /**
     * Mean squared error: the mean over every element of {@code (y − p)²} (Keras averages the last
     * axis and then the rows, which is the same number).
     *
     * @param grad if not null, overwritten with {@code scale · 2(p − y)/n}, n the number of elements
     */
    public static double mse(Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        checkShapes("mse", yTrue, yPred, grad);
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        float[] g = grad == null ? null : grad.buffer();
        int n = p.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) p[i] - y[i];
            total += d * d;
        }
        if (g != null) {
            double factor = 2 * scale / n;
            for (int i = 0; i < n; i++) {
                g[i] = (float) (((double) p[i] - y[i]) * factor);
            }
        }
        return total / n;
    }

    private static void checkShapes(String loss, Tensor yTrue, Tensor yPred, Tensor grad) {
        if (!yTrue.sameShape(yPred)) {
            throw new IllegalArgumentException(loss + ": labels " + Arrays.toString(yTrue.shape())
                    + " and predictions " + Arrays.toString(yPred.shape()) + " need the same shape");
        }
        if (grad != null && !grad.sameShape(yPred)) {
            throw new IllegalArgumentException(loss + ": gradient buffer " + Arrays.toString(grad.shape())
                    + " must have the predictions' shape " + Arrays.toString(yPred.shape()));
        }
        if (yPred.rank() == 0 || yPred.size() == 0) {
            throw new IllegalArgumentException(loss + ": predictions " + Arrays.toString(yPred.shape())
                    + " need at least one row with a last (class or feature) axis");
        }
    }
}
