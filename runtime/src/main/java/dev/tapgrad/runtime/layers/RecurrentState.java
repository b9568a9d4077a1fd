package dev.tapgrad.runtime.layers;

/**
 * What the per-part states of {@link Lstm} and {@link Gru} share: which examples of the batch the
 * part holds, its input time-major (so that each step's rows are contiguous), every h_t, the
 * copies between the batch-major layer arrays and these time-major buffers, and the part's sums of
 * the bias gradient, gathered step by step while backward runs on the part's core.
 */
abstract class RecurrentState {
    final int steps;
    final int features;
    final int units;

    int batch = -1;
    /** Index of the part's first example in the whole batch. */
    int lo;
    /** x as (steps, B, features); in backward also dL/dx in that order. */
    float[] xt;
    /** h_{t−1} for t = 0 … steps, ((steps + 1), B, units): block 0 is the zero initial state. */
    float[] hs;
    /**
     * The part's column sums of dL/dbias over the steps of the latest backward, in double so that
     * long sequences do not lose low bits; the layer adds the parts' sums in part order.
     */
    final double[] biasSums;
    /** One step's column sums in float, before they are added to {@link #biasSums}. */
    private final float[] stepSums;

    /** A part's state whose bias has {@code biasColumns} values (4·units for an LSTM, 6·units for a GRU). */
    RecurrentState(int steps, int features, int units, int biasColumns) {
        this.steps = steps;
        this.features = features;
        this.units = units;
        this.biasSums = new double[biasColumns];
        this.stepSums = new float[biasColumns];
    }

    /**
     * Adds the column sums of rows {@code t·batch … t·batch + batch − 1} of {@code m} (step t's rows
     * of a time-major (steps, B, columns) gradient) to {@code biasSums[at …]}. The step's few rows are
     * summed in float, in a loop the JIT vectorises, and only their sum is widened to double: the
     * float-to-double sum of every row was a twelfth of an LSTM step, since the JIT does not
     * vectorise the conversion.
     */
    final void addStepColumnSums(float[] m, int t, int columns, int at) {
        int first = t * batch * columns;
        System.arraycopy(m, first, stepSums, 0, columns);
        for (int n = 1; n < batch; n++) {
            int row = first + n * columns;
            for (int j = 0; j < columns; j++) {
                stepSums[j] += m[row + j];
            }
        }
        for (int j = 0; j < columns; j++) {
            biasSums[at + j] += stepSums[j];
        }
    }

    /** Takes examples {@code lo … lo + b − 1} of the batch, reallocating only when the size changes. */
    final void ensureBatch(int lo, int b) {
        this.lo = lo;
        if (b == batch) {
            return;
        }
        xt = new float[steps * b * features];
        hs = new float[(steps + 1) * b * units];
        allocate(b);
        batch = b;
    }

    /** Allocates the subclass's buffers for a part of {@code b} examples. */
    abstract void allocate(int b);

    /** Copies the part's rows of x (B, steps, features) into {@link #xt} as (steps, part, features). */
    final void toTimeMajor(float[] x) {
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, ((lo + n) * steps + t) * features, xt, (t * batch + n) * features, features);
            }
        }
    }

    /** Adds {@link #xt}, read as (steps, part, features), to the part's rows of g (B, steps, features). */
    final void addFromTimeMajor(float[] g) {
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < batch; n++) {
                int src = (t * batch + n) * features;
                int dst = ((lo + n) * steps + t) * features;
                for (int f = 0; f < features; f++) {
                    g[dst + f] += xt[src + f];
                }
            }
        }
    }

    /** Writes every h_t to the part's rows of out (B, steps, units), or only the last to out (B, units). */
    final void copyOut(float[] out, boolean sequences) {
        int bu = batch * units;
        if (!sequences) {
            System.arraycopy(hs, steps * bu, out, lo * units, bu);
            return;
        }
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < batch; n++) {
                System.arraycopy(hs, (t + 1) * bu + n * units, out, ((lo + n) * steps + t) * units, units);
            }
        }
    }
}
