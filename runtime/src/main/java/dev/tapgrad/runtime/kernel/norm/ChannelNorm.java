package dev.tapgrad.runtime.kernel.norm;

import dev.tapgrad.runtime.kernel.Platform;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.lang.invoke.MethodHandles;

/**
 * The passes of a per-channel normalisation (BatchNorm) over channels-last rows of {@code
 * channels} floats: the batch statistics, {@code y = scale·(x − center) + shift}, the backward's
 * two sums and {@code gx += scaleDy·dy + scaleX·(x − center) + shift}. Each pass is one sweep
 * over memory, vectorised over channels with the Vector API wherever {@link Platform#vectorUsable}
 * allows (else {@link PortableChannelPasses}), and shared between the {@link ParallelFor} workers.
 *
 * <p>The rows are cut into fixed chunks that depend on the row and channel counts only; every
 * chunk's sums go to its own slot and are added in chunk order afterwards, so a result is the same
 * bits for any thread count and any timing. Within a chunk, each float sum takes at most 32
 * values before it is added to the double sums, and the statistics sum {@code x − x₀} (x₀ the
 * first row), so a large mean does not cancel the variance (one pass, not two). One instance per
 * layer: it keeps the chunks' partial sums and allocates only when the row count changes.
 *
 * <p>An L1 or L2 penalty on the output y ({@link #ABS}, {@link #SQUARE}) costs no pass of its own:
 * {@code scaleShift} sums |y| or y² while it stores y, and the backward's two passes add the
 * penalty's gradient to dy as they read it, with y recomputed from x by the forward's
 * coefficients and operations (the same bits as the stored y), so the gradients are the floats of
 * adding the penalty's gradient to dy in a pass before them.
 */
public final class ChannelNorm {
    /**
     * What a path provides, over flat element ranges that start where a period does; the
     * per-channel arrays are repeated to the period, and sums are taken in float over runs of
     * {@link #BLOCK_PERIODS} periods in the first two of the slot's {@link #WORK_ARRAYS} period-long
     * {@code work} arrays, then added to the double sums {@code sums[sOff + c]} and {@code sums[sOff + channels + c]}.
     */
    interface Impl {
        /** Floats per vector (1 for the portable path), from which {@link Layout#of} derives the period. */
        int lanes();

        /** {@code sums[sOff + c] += Σ (x − k)}, {@code sums[sOff + channels + c] += Σ (x − k)²} per channel c. */
        void shiftedSums(float[] x, int from, int to, Layout layout, float[] k, float[][] work, double[] sums,
                int sOff);

        /**
         * {@code sums[sOff + c] += Σ dy}, {@code sums[sOff + channels + c] += Σ dy·(x − k)} per
         * channel c; with a {@code penalty}, dy is dy + c·∂penalty/∂y at y = outScale·(x − k) + outShift.
         */
        void productSums(float[] dy, float[] x, int from, int to, Layout layout, float[] k, float[][] work,
                double[] sums, int sOff, int penalty, float c, float[] outScale, float[] outShift);

        /**
         * {@code y = scale·(x − center) + shift} (arrays expanded to the period); with a {@code
         * penalty}, {@code sums[sOff] +=} Σ|y| or Σy².
         */
        void scaleShift(float[] x, float[] y, int from, int to, Layout layout, float[] center, float[] scale,
                float[] shift, float[][] work, int penalty, double[] sums, int sOff);

        /**
         * {@code gx += scaleDy·dy + scaleX·(x − center) + shift} (arrays expanded to the period);
         * {@code gx =} without {@code accumulate}; dy penalised as in {@link #productSums}.
         */
        void addGradient(float[] dy, float[] x, float[] gx, int from, int to, Layout layout, float[] center,
                float[] scaleDy, float[] scaleX, float[] shift, float[][] work, boolean accumulate, int penalty,
                float c, float[] outScale, float[] outShift);
    }

    /**
     * The channel count and the period: a whole number of rows, and of vectors, that the passes
     * step through with the per-channel arrays repeated to its length (after lcm(channels, lanes)
     * floats a vector sees the same channels in the same lanes again; the portable path takes
     * enough rows for at least 128 floats, so that its inner loops are long enough for C2 to
     * vectorise them).
     */
    record Layout(int channels, int period) {
        static Layout of(int channels, int lanes) {
            int period = channels / gcd(channels, lanes) * lanes;
            if (lanes == 1) {
                period = channels * Math.max(1, (PORTABLE_PERIOD + channels - 1) / channels);
            }
            return new Layout(channels, period);
        }

        /** Rows per period. */
        int periodRows() {
            return period / channels;
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    static final Impl PORTABLE = new PortableChannelPasses();
    static final Impl ACTIVE =
            Platform.vectorTwin(MethodHandles.lookup(), Impl.class, "VectorChannelPasses", PORTABLE);
    /**
     * Periods summed in float, each float sum taking one value per period, before the sums go to
     * double: at most 32 float roundings per partial sum, about 2e-6 of its values' magnitude.
     */
    static final int BLOCK_PERIODS = 32;
    /**
     * Periods whose |y| or y² a penalty sums in float before double: each float sum takes at most
     * 8 values, about 5e-7 of their magnitude (the penalty's value is compared within 1e-6).
     */
    static final int PENALTY_PERIODS = 8;
    /** No output penalty; one on Σ|y| (L1); one on Σy² (L2). */
    public static final int NO_PENALTY = 0;
    /** An L1 output penalty: Σ|y|, gradient c·sign(y). */
    public static final int ABS = 1;
    /** An L2 output penalty: Σy², gradient 2y·c. */
    public static final int SQUARE = 2;
    private static final int PORTABLE_PERIOD = 1024;
    /** Period-long scratch arrays per slot. */
    static final int WORK_ARRAYS = 5;
    /** About this many floats per chunk: enough work to pay for handing a chunk to a thread. */
    private static final int CHUNK_VALUES = 1 << 14;

    final Impl impl;
    final int channels;
    final Layout layout;
    /** Rows per chunk: a whole number of periods, so every chunk starts where a period does. */
    private final int chunkRows;
    /** Per-channel arrays repeated to the period, for the vector path. */
    final float[] center;
    final float[] scale;
    final float[] shift;
    final float[] scaleX;
    /** The forward's scale and shift, by which the backward passes recompute y for a penalty's gradient. */
    final float[] outScale;
    final float[] outShift;
    /** The current call's penalty ({@link #NO_PENALTY}, {@link #ABS}, {@link #SQUARE}) and its gradient's scale. */
    int penalty;
    float penaltyScale;
    /** What {@link #penalizeGradient} set for the backward passes. */
    private int backwardPenalty;
    private float backwardScale;
    /** Per slot, {@link #WORK_ARRAYS} arrays of a period: a float run's two sums, and the portable path's copies. */
    final float[][][] work;
    /** Two sums per channel per chunk, in chunk order. */
    private double[] partials = new double[0];
    /** The rows of the current call; read by the bodies below. */
    private int rows;

    /** The four passes as bodies the workers run over chunks [from, to) of the current call. */
    private final ParallelFor.ArrayBody statsBody;
    private final ParallelFor.ArrayBody productBody;
    private final ParallelFor.ArrayBody scaleBody;
    private final ParallelFor.ArrayBody gradientBody;

    /** The passes for rows of {@code channels} floats, on the fastest path this JVM offers. */
    public ChannelNorm(int channels) {
        this(channels, ACTIVE);
    }

    ChannelNorm(int channels, Impl impl) {
        if (channels <= 0) {
            throw new IllegalArgumentException("ChannelNorm: channels must be positive, got " + channels);
        }
        this.impl = impl;
        this.channels = channels;
        this.layout = Layout.of(channels, impl.lanes());
        int periodRows = layout.periodRows();
        this.chunkRows = Math.max(1, CHUNK_VALUES / channels / periodRows) * periodRows;
        int p = layout.period();
        this.center = new float[p];
        this.scale = new float[p];
        this.shift = new float[p];
        this.scaleX = new float[p];
        this.outScale = new float[p];
        this.outShift = new float[p];
        this.work = new float[ParallelFor.slots()][WORK_ARRAYS][p];
        this.statsBody = (x, unused, unused2, value, from, to, slot) -> {
            for (int chunk = from; chunk < to; chunk++) {
                impl.shiftedSums(x, start(chunk), end(chunk), layout, center, work[slot],
                        partials, chunk * 2 * channels);
            }
        };
        this.productBody = (dy, x, unused, value, from, to, slot) -> {
            for (int chunk = from; chunk < to; chunk++) {
                impl.productSums(dy, x, start(chunk), end(chunk), layout, center, work[slot],
                        partials, chunk * 2 * channels, penalty, penaltyScale, outScale, outShift);
            }
        };
        this.scaleBody = (x, y, unused, value, from, to, slot) -> {
            if (penalty == NO_PENALTY) {
                impl.scaleShift(x, y, start(from), end(to - 1), layout, center, scale, shift, work[slot], penalty,
                        partials, 0);
                return;
            }
            // the penalty's sums chunk by chunk, into each chunk's slot, for a fixed order of addition
            for (int chunk = from; chunk < to; chunk++) {
                impl.scaleShift(x, y, start(chunk), end(chunk), layout, center, scale, shift, work[slot], penalty,
                        partials, chunk * 2 * channels);
            }
        };
        this.gradientBody = (dy, x, gx, value, from, to, slot) ->
                impl.addGradient(dy, x, gx, start(from), end(to - 1), layout, center, scale, scaleX, shift, work[slot],
                        value != 0f, penalty, penaltyScale, outScale, outShift);
    }

    /** Rows per chunk (the fixed partition of the sums), for the tests. */
    int chunkRows() {
        return chunkRows;
    }

    /** Which path runs, for benchmarks and logs: "vector" or "portable". */
    public static String pathName() {
        return ACTIVE == PORTABLE ? "portable" : "vector";
    }

    /**
     * Per channel, the mean and the biased variance of {@code rows} rows of x (in double).
     *
     * @throws IllegalArgumentException if rows is not positive or x is shorter than rows·channels
     */
    public void statistics(float[] x, int rows, double[] mean, double[] variance) {
        int chunks = begin(x, rows, NO_PENALTY, 0f);
        // x − x₀ with x₀ a value of the batch keeps Σd² − (Σd)²/n from cancelling when |mean| ≫ std
        expand(center, x, 0);
        ParallelFor.run(chunks, 1, statsBody, x, null, null, 0f);
        for (int c = 0; c < channels; c++) {
            double s1 = 0;
            double s2 = 0;
            for (int chunk = 0; chunk < chunks; chunk++) {
                s1 += partials[chunk * 2 * channels + c];
                s2 += partials[chunk * 2 * channels + channels + c];
            }
            double d = s1 / rows;
            mean[c] = center[c] + d;
            variance[c] = Math.max(0, s2 / rows - d * d);
        }
    }

    /** {@code y = scale·(x − center) + shift} over {@code rows} rows; center, scale and shift per channel. */
    public void scaleShift(float[] x, float[] y, int rows, float[] center, float[] scale, float[] shift) {
        scaleShift(x, y, rows, center, scale, shift, NO_PENALTY);
    }

    /**
     * As {@link #scaleShift(float[], float[], int, float[], float[], float[])}, and returns Σ|y|
     * ({@link #ABS}) or Σy² ({@link #SQUARE}): float sums of at most 8 terms (y² may
     * be fused into its addition) added in double, in an order fixed by the row and channel counts;
     * 0 for {@link #NO_PENALTY}.
     */
    public double scaleShift(float[] x, float[] y, int rows, float[] center, float[] scale, float[] shift, int penalty) {
        int chunks = begin(x, rows, penalty, 0f);
        checkLength(y, rows);
        expand(this.center, center, 0);
        expand(this.scale, scale, 0);
        expand(this.shift, shift, 0);
        ParallelFor.run(chunks, 1, scaleBody, x, y, null, 0f);
        double sum = 0;
        if (penalty != NO_PENALTY) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                sum += partials[chunk * 2 * channels];
            }
        }
        return sum;
    }

    /**
     * Sets the output penalty of the backward passes that follow ({@link #gradientSums}, {@link
     * #addGradient}): {@code c·∂penalty/∂y} ({@code c·sign(y)} for {@link #ABS}, {@code 2y·c} for
     * {@link #SQUARE}) is added to every dy they read, at y = outScale·(x − center) + outShift,
     * the coefficients of the forward's {@link #scaleShift}. {@link #NO_PENALTY} clears it.
     */
    public void penalizeGradient(int penalty, float c, float[] outScale, float[] outShift) {
        checkPenalty(penalty);
        this.backwardPenalty = penalty;
        this.backwardScale = c;
        if (penalty != NO_PENALTY) {
            expand(this.outScale, outScale, 0);
            expand(this.outShift, outShift, 0);
        }
    }

    /**
     * Per channel, {@code sumDy = Σ dy} and {@code sumDyCentered = Σ dy·(x − center)} over {@code rows} rows (in double).
     */
    public void gradientSums(float[] dy, float[] x, int rows, float[] center, double[] sumDy, double[] sumDyCentered) {
        int chunks = begin(x, rows, backwardPenalty, backwardScale);
        checkLength(dy, rows);
        expand(this.center, center, 0);
        ParallelFor.run(chunks, 1, productBody, dy, x, null, 0f);
        for (int c = 0; c < channels; c++) {
            double s1 = 0;
            double s2 = 0;
            for (int chunk = 0; chunk < chunks; chunk++) {
                s1 += partials[chunk * 2 * channels + c];
                s2 += partials[chunk * 2 * channels + channels + c];
            }
            sumDy[c] = s1;
            sumDyCentered[c] = s2;
        }
    }

    /** {@code gx += scaleDy·dy + scaleX·(x − center) + shift} per channel over {@code rows} rows. */
    public void addGradient(float[] dy, float[] x, float[] gx, int rows, float[] center, float[] scaleDy,
            float[] scaleX, float[] shift) {
        addGradient(dy, x, gx, rows, center, scaleDy, scaleX, shift, true);
    }

    /**
     * {@code gx += scaleDy·dy + scaleX·(x − center) + shift} per channel over {@code rows} rows; with
     * {@code accumulate} false, {@code gx =} the same (gx is only written, never read).
     */
    public void addGradient(float[] dy, float[] x, float[] gx, int rows, float[] center, float[] scaleDy,
            float[] scaleX, float[] shift, boolean accumulate) {
        int chunks = begin(x, rows, backwardPenalty, backwardScale);
        checkLength(dy, rows);
        checkLength(gx, rows);
        expand(this.center, center, 0);
        expand(this.scale, scaleDy, 0);
        expand(this.scaleX, scaleX, 0);
        expand(this.shift, shift, 0);
        // the body's float argument carries the mode: the ArrayBody has no boolean
        ParallelFor.run(chunks, 1, gradientBody, dy, x, gx, accumulate ? 1f : 0f);
    }

    /**
     * Sets the coefficients of {@code gx = scaleDy·dy + scaleX·(x − center) + shift} (with the
     * penalty of {@link #penalizeGradient}) for {@link ImagePasses#gradient}, which applies them
     * image by image inside the loop of the layer that reads gx next.
     */
    public void prepareGradient(float[] center, float[] scaleDy, float[] scaleX, float[] shift) {
        expand(this.center, center, 0);
        expand(this.scale, scaleDy, 0);
        expand(this.scaleX, scaleX, 0);
        expand(this.shift, shift, 0);
        this.penalty = backwardPenalty;
        this.penaltyScale = backwardScale;
    }

    /** Checks x, sets the call's rows and penalty and sizes the partial sums; returns the chunk count. */
    private int begin(float[] x, int rows, int penalty, float c) {
        if (rows <= 0) {
            throw new IllegalArgumentException("ChannelNorm: rows must be positive, got " + rows);
        }
        checkPenalty(penalty);
        checkLength(x, rows);
        this.rows = rows;
        this.penalty = penalty;
        this.penaltyScale = c;
        int chunks = (rows + chunkRows - 1) / chunkRows;
        if (partials.length < chunks * 2 * channels) {
            // only when the batch grows, so steady-state steps allocate nothing
            partials = new double[chunks * 2 * channels];
        }
        java.util.Arrays.fill(partials, 0, chunks * 2 * channels, 0);
        return chunks;
    }

    private static void checkPenalty(int penalty) {
        if (penalty != NO_PENALTY && penalty != ABS && penalty != SQUARE) {
            throw new IllegalArgumentException("ChannelNorm: penalty must be NO_PENALTY, ABS or SQUARE, got " + penalty);
        }
    }

    private void checkLength(float[] a, int rows) {
        if ((long) rows * channels > a.length) {
            throw new IllegalArgumentException("ChannelNorm: " + rows + " rows of " + channels
                    + " channels need " + (long) rows * channels + " floats, the array has " + a.length);
        }
    }

    /** {@code target[j] = values[off + j % channels]} over the period. */
    void expand(float[] target, float[] values, int off) {
        for (int j = 0, c = 0; j < target.length; j++) {
            target[j] = values[off + c];
            c = c + 1 == channels ? 0 : c + 1;
        }
    }

    private int start(int chunk) {
        return chunk * chunkRows * channels;
    }

    private int end(int chunk) {
        return Math.min(rows, (chunk + 1) * chunkRows) * channels;
    }

}
