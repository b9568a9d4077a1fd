package dev.tapgrad.runtime.train;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * Metric sums per batch, which the training loop adds up and divides by the rows it has seen.
 * Rows are all leading axes of the predictions; each metric's per-row value is its mean over the
 * last axis, as Keras computes it, so the sum over rows divided by the rows is Keras's number.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The metric {@code requested} stands for: {@link Metric#ACCURACY} resolved as Keras resolves
     * {@code "accuracy"} (one output unit or a binary loss: binary; a sparse loss: sparse;
     * otherwise categorical); any other metric is itself.
     */
    public static Metric resolve(Metric requested, LossKind loss, int[] outputShape) {
        if (requested != Metric.ACCURACY) {
            return requested;
        }
        int units = outputShape.length == 0 ? 1 : outputShape[outputShape.length - 1];
        if (units == 1 || loss == LossKind.BINARY_CROSSENTROPY) {
            return Metric.BINARY_ACCURACY;
        }
        if (loss == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
            return Metric.SPARSE_CATEGORICAL_ACCURACY;
        }
        return Metric.CATEGORICAL_ACCURACY;
    }

    /**
     * The sum over the rows of {@code yPred} of the metric's per-row value.
     *
     * @param metric a resolved metric (not {@link Metric#ACCURACY})
     * @param logits whether the predictions are logits, which moves the binary threshold from 0.5 to 0
     */
    public static double sum(Metric metric, Tensor yTrue, Tensor yPred, boolean logits) {
        return switch (metric) {
            case CATEGORICAL_ACCURACY -> correct(yTrue, yPred);
            case SPARSE_CATEGORICAL_ACCURACY -> sparseCorrect(yTrue, yPred);
            case BINARY_ACCURACY -> binaryCorrect(yTrue, yPred, logits ? 0f : 0.5f);
            case MAE -> rowMeans(yTrue, yPred, false);
            case MSE -> rowMeans(yTrue, yPred, true);
            case ACCURACY -> throw new IllegalArgumentException("accuracy must be resolved first (Metrics.resolve)");
        };
    }

    /**
     * Rows whose arg-max prediction equals the arg-max label (Keras's categorical accuracy); rows
     * are all leading dimensions, ties go to the first index as in NumPy.
     */
    public static int correct(Tensor yTrue, Tensor yPred) {
        checkSameShape("categorical_accuracy", yTrue, yPred);
        int classes = yPred.dim(-1);
        if (classes == 0) {
            return 0;
        }
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        int correct = 0;
        for (int off = 0; off < p.length; off += classes) {
            if (argMax(y, off, classes) == argMax(p, off, classes)) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * Rows whose arg-max prediction equals the class id of its label: labels have the rows of
     * yPred, as (rows) or (rows, 1).
     */
    static int sparseCorrect(Tensor yTrue, Tensor yPred) {
        int classes = yPred.rank() == 0 ? 1 : yPred.dim(-1);
        if (classes == 0) {
            return 0;
        }
        int rows = yPred.size() / classes;
        if (yTrue.size() != rows) {
            throw new IllegalArgumentException("sparse_categorical_accuracy: labels " + Arrays.toString(yTrue.shape())
                    + " need one class id per row of predictions " + Arrays.toString(yPred.shape()));
        }
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            if (argMax(p, r * classes, classes) == y[r]) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * Per row, the fraction of outputs where {@code yPred > threshold} (as 1 or 0) equals the label,
     * summed over rows: Keras compares the thresholded prediction with the label as a number, so a
     * label that is neither 0 nor 1 never matches.
     */
    static double binaryCorrect(Tensor yTrue, Tensor yPred, float threshold) {
        checkSameShape("binary_accuracy", yTrue, yPred);
        int width = yPred.rank() == 0 ? 1 : yPred.dim(-1);
        if (width == 0) {
            return 0;
        }
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        long matches = 0;
        for (int i = 0; i < p.length; i++) {
            if ((p[i] > threshold ? 1f : 0f) == y[i]) {
                matches++;
            }
        }
        return (double) matches / width;
    }

    /** Per row, the mean over the last axis of |e| or e², e = yPred − yTrue, summed over rows. */
    private static double rowMeans(Tensor yTrue, Tensor yPred, boolean squared) {
        checkSameShape(squared ? "mse" : "mae", yTrue, yPred);
        int width = yPred.rank() == 0 ? 1 : yPred.dim(-1);
        if (width == 0) {
            return 0;
        }
        float[] y = yTrue.buffer();
        float[] p = yPred.buffer();
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double e = (double) p[i] - y[i];
            total += squared ? e * e : Math.abs(e);
        }
        return total / width;
    }

    /** Number of rows {@link #sum} averages over in {@code yPred}. */
    public static int rows(Tensor yPred) {
        int classes = yPred.rank() == 0 ? 1 : yPred.dim(-1);
        return classes == 0 ? 0 : yPred.size() / classes;
    }

    private static void checkSameShape(String metric, Tensor yTrue, Tensor yPred) {
        if (!yTrue.sameShape(yPred) || yPred.rank() == 0) {
            throw new IllegalArgumentException(metric + ": labels " + Arrays.toString(yTrue.shape())
                    + " and predictions " + Arrays.toString(yPred.shape()) + " need the same shape of rank >= 1");
        }
    }

    private static int argMax(float[] a, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (a[off + j] > a[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
