package dev.tapgrad.runtime.internal.tensor;

import dev.tapgrad.runtime.kernel.math.SumMath;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;

/**
 * Whole-array sums in double and the L1/L2 penalty gradients ({@link SumMath}) shared between the
 * {@link ParallelFor} threads when the array is long: a sum is cut into fixed blocks of
 * {@link SumMath#BLOCK} values whatever the thread count, each block's sum kept in its own slot,
 * and the blocks added in order afterwards, so the bits depend on the array only. {@code
 * Ops.sum} and the fused penalties both sum through here, so they agree bit for bit.
 * Allocation-free once a thread's scratch has grown to the longest array it summed.
 */
public final class Sums {
    /** Below this many values a pass runs on the calling thread: waking a helper costs more. */
    private static final int PARALLEL_MIN = 65_536;
    private static final int GRAIN = 16_384;
    private static final ThreadLocal<Task> TASKS = ThreadLocal.withInitial(Task::new);

    private Sums() {}

    /** {@code Σ f(a[i])} over the whole array for {@code kind} {@link SumMath#PLAIN}, {@link SumMath#ABS} or {@link SumMath#SQUARE}. */
    public static double sum(float[] a, int kind) {
        if (a.length <= SumMath.BLOCK) {
            return SumMath.sum(a, 0, a.length, kind);
        }
        int blocks = (a.length + SumMath.BLOCK - 1) / SumMath.BLOCK;
        Task t = TASKS.get();
        if (t.partials.length < blocks) {
            t.partials = new double[blocks];
        }
        t.a = a;
        t.kind = kind;
        try {
            if (a.length >= PARALLEL_MIN) {
                ParallelFor.run(blocks, 1, t);
            } else {
                t.run(0, blocks, 0);
            }
        } finally {
            t.a = null; // the caller's array is not kept past the call
        }
        double s = 0;
        for (int b = 0; b < blocks; b++) {
            s += t.partials[b];
        }
        return s;
    }

    /** {@code g += c · sign(x)} (see {@link SumMath#addAbs}), shared between the threads when long. */
    public static void addAbs(float[] x, float[] g, float c) {
        ParallelFor.run(x.length, x.length >= PARALLEL_MIN ? GRAIN : Math.max(1, x.length), ADD_ABS, x, g, null, c);
    }

    /** {@code g += 2x · c} (see {@link SumMath#addSquare}), shared between the threads when long. */
    public static void addSquare(float[] x, float[] g, float c) {
        ParallelFor.run(x.length, x.length >= PARALLEL_MIN ? GRAIN : Math.max(1, x.length), ADD_SQUARE, x, g, null, c);
    }

    private static final ParallelFor.ArrayBody ADD_ABS = (x, g, unused, c, from, to, slot) ->
            SumMath.addAbs(x, g, from, to, c);
    private static final ParallelFor.ArrayBody ADD_SQUARE = (x, g, unused, c, from, to, slot) ->
            SumMath.addSquare(x, g, from, to, c);

    /** One thread's sum in progress: its array and kind, and one partial per block. */
    private static final class Task implements ParallelFor.Body {
        double[] partials = new double[0];
        float[] a;
        int kind;

        @Override
        public void run(int first, int end, int slot) {
            for (int b = first; b < end; b++) {
                int from = b * SumMath.BLOCK;
                partials[b] = SumMath.sum(a, from, Math.min(a.length, from + SumMath.BLOCK), kind);
            }
        }
    }
}
