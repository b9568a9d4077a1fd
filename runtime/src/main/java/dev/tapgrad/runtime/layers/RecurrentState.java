package dev.tapgrad.runtime.layers;

/**
 * What the per-part states of {@link Lstm} and {@link Gru} share: which examples of the batch the
 * part holds, its input time-major (so that each step's rows are contiguous), every h_t, and the
 * copies between the batch-major layer arrays and these time-major buffers.
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

    RecurrentState(int steps, int features, int units) {
        this.steps = steps;
        this.features = features;
        this.units = units;
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
