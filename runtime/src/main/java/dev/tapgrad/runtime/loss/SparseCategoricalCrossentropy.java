package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import java.util.Arrays;

/**
 * Keras's sparse categorical crossentropy, its value and its gradient in one kernel: labels are
 * class ids, one per row of yPred, of shape (rows) or (rows, 1). On probabilities, per row
 * {@code q = yPred / Σ yPred} and {@code −log clip(q_k, 1e-7, 1 − 1e-7)} for the label k, which is
 * {@link CategoricalCrossentropy} of the one-hot row; on logits z, the stable
 * {@code log Σ e^z − z_k} (log-sum-exp after subtracting the row's maximum). Then the mean over
 * rows. The built-in main loss ({@code LossKind.SPARSE_CATEGORICAL_CROSSENTROPY}) and the loss-body
 * op {@code sparseCategoricalCrossentropy} with its adjoint run {@link #rows}. Class ids take no
 * gradient. Sums run in double.
 */
public final class SparseCategoricalCrossentropy {
    private SparseCategoricalCrossentropy() {}

    /**
     * The main loss of class ids yTrue against yPred (rows, classes).
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     * @param logits whether yPred holds logits rather than probabilities
     * @throws IllegalArgumentException if the shapes do not fit or a label is no class id
     */
    public static double valueAndGradient(Tensor yTrue, Tensor yPred, Tensor grad, double scale, boolean logits) {
        check(yTrue, yPred);
        if (grad != null && !grad.sameShape(yPred)) {
            throw new IllegalArgumentException("sparseCategoricalCrossentropy: gradient buffer "
                    + Arrays.toString(grad.shape()) + " must have the predictions' shape " + Arrays.toString(yPred.shape()));
        }
        return rows(yTrue.buffer(), yPred.buffer(), yPred.dim(-1), grad == null ? null : grad.buffer(), scale, logits);
    }

    /**
     * The value on probabilities as a scalar tensor ({@code g} null), or its gradient for yPred
     * scaled by the cotangent {@code g}.
     */
    public static Tensor compute(Tensor yTrue, Tensor yPred, Tensor g) {
        check(yTrue, yPred);
        if (g == null) {
            return Workspace.newScalar(rows(yTrue.buffer(), yPred.buffer(), yPred.dim(-1), null, 0, false));
        }
        Tensor grad = Workspace.uninitialized(yPred.dims());
        rows(yTrue.buffer(), yPred.buffer(), yPred.dim(-1), grad.buffer(), g.item(), false);
        return grad;
    }

    /** The mean loss over the rows; writes {@code scale/rows ·} each row's gradient into {@code grad} if not null. */
    private static double rows(float[] ids, float[] p, int classes, float[] grad, double scale, boolean logits) {
        int rows = p.length / classes;
        double factor = scale / rows;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            int k = classId(ids[r], classes, r);
            total += logits ? logitsRow(p, off, classes, k, grad, factor) : probabilityRow(p, off, classes, k, grad, factor);
        }
        return total / rows;
    }

    /**
     * {@code −log c_k}, {@code c = clip(p/Σp)}; through the normalisation the gradient is
     * {@code (h_i − h_k q_k)/Σp} with {@code h_k = −1/c_k} where the clip passes q_k (else 0) and
     * {@code h_i = 0} for the other classes.
     */
    private static double probabilityRow(float[] p, int off, int classes, int k, float[] grad, double factor) {
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += p[off + j];
        }
        double q = p[off + k] / sum;
        double c = Clip.toOpen(q);
        if (grad != null) {
            double hk = Clip.passesToOpen(q) ? -1 / c : 0;
            for (int j = 0; j < classes; j++) {
                double hj = j == k ? hk : 0;
                grad[off + j] = (float) ((hj - hk * q) / sum * factor);
            }
        }
        return -Math.log(c);
    }

    /** {@code log Σ e^z − z_k}; the gradient is {@code softmax(z) − onehot(k)}. */
    private static double logitsRow(float[] z, int off, int classes, int k, float[] grad, double factor) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(z[off + j] - max);
        }
        if (grad != null) {
            for (int j = 0; j < classes; j++) {
                double softmax = Math.exp(z[off + j] - max) / sum;
                grad[off + j] = (float) ((softmax - (j == k ? 1 : 0)) * factor);
            }
        }
        return max + Math.log(sum) - z[off + k];
    }

    private static int classId(float label, int classes, int row) {
        int k = (int) label;
        if (k != label || k < 0 || k >= classes) {
            throw new IllegalArgumentException("sparseCategoricalCrossentropy: label " + label + " of row " + row
                    + " is not a class id in [0, " + classes + ")");
        }
        return k;
    }

    /** Allocates nothing unless it throws: it runs every step. */
    private static void check(Tensor yTrue, Tensor yPred) {
        int rank = yPred.rank();
        boolean fits = rank >= 1 && yPred.size() > 0 && (yTrue.rank() == rank - 1
                || yTrue.rank() == rank && yTrue.dim(rank - 1) == 1);
        for (int d = 0; fits && d < rank - 1; d++) {
            fits = yTrue.dim(d) == yPred.dim(d);
        }
        if (!fits) {
            throw new IllegalArgumentException("sparseCategoricalCrossentropy: labels " + Arrays.toString(yTrue.shape())
                    + " need one class id per row of predictions " + Arrays.toString(yPred.shape())
                    + ", shaped as the predictions without their last axis, or with it of size 1");
        }
    }
}
