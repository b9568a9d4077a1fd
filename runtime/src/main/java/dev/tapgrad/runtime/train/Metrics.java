package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/** Metric counts per batch, which the training loop sums and divides by the rows it has seen. */
public final class Metrics {
    private Metrics() {}

    /**
     * Rows whose arg-max prediction equals the arg-max label (Keras's categorical accuracy); rows
     * are all leading dimensions, ties go to the first index as in NumPy.
     */
    public static int correct(Tensor yTrue, Tensor yPred) {
        if (!yTrue.sameShape(yPred) || yPred.rank() == 0) {
            throw new IllegalArgumentException("accuracy: labels " + Arrays.toString(yTrue.shape())
                    + " and predictions " + Arrays.toString(yPred.shape()) + " need the same shape of rank >= 1");
        }
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

    /** Number of rows {@link #correct} compares in {@code yPred}. */
    public static int rows(Tensor yPred) {
        int classes = yPred.rank() == 0 ? 1 : yPred.dim(-1);
        return classes == 0 ? 0 : yPred.size() / classes;
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
