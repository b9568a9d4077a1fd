package dev.tapgrad.runtime.kernel.math;

import dev.tapgrad.runtime.kernel.Platform;
import java.lang.invoke.MethodHandles;

/**
 * Sums of a float run in double ({@code Σ x}, {@code Σ |x|}, {@code Σ x²}) and the gradients of
 * the last two added into a gradient run: the reductions of {@code Ops.sum} and of the fused L1/L2
 * penalties. A sum keeps eight partial sums, value {@code from + i} going to partial {@code i mod 8},
 * combined as {@code ((s0+s1)+(s2+s3)) + ((s4+s5)+(s6+s7))}: eight independent chains of double
 * additions instead of one, on both paths (see {@link VectorSumMath} for why the sums are not
 * vectorised); the gradients are, with the same bits, which the tests check.
 * Callers split a long array into fixed blocks of {@link #BLOCK} values and add the blocks' sums
 * in block order, so the result does not depend on the threads either.
 */
public final class SumMath {
    /** The block a long sum is cut into: a multiple of eight. */
    public static final int BLOCK = 8_192;
    /** {@code Σ x}. */
    public static final int PLAIN = 0;
    /** {@code Σ |x|}. */
    public static final int ABS = 1;
    /** {@code Σ x²}, each square rounded to float first, as {@code Ops.square} stores it. */
    public static final int SQUARE = 2;

    /** What a path provides; {@link VectorSumMath} is loaded by name only where the module is present. */
    interface Impl {
        double sum(float[] a, int from, int to, int kind);

        void addAbs(float[] x, float[] g, int from, int to, float c);

        void addSquare(float[] x, float[] g, int from, int to, float c);
    }

    static final Impl PORTABLE = new PortableSums();
    static final Impl ACTIVE =
            Platform.vectorTwin(MethodHandles.lookup(), Impl.class, "VectorSumMath", PORTABLE);

    private SumMath() {}

    /** {@code Σ f(a[i])} over {@code [from, to)} for {@code kind} {@link #PLAIN}, {@link #ABS} or {@link #SQUARE}. */
    public static double sum(float[] a, int from, int to, int kind) {
        return ACTIVE.sum(a, from, to, kind);
    }

    /**
     * {@code g[i] += c · sign(x[i])} over {@code [from, to)}, with sign(±0) = ±0 (so ±0 is added,
     * with the sign of {@code c·x}) and NaN kept: {@code Ops.absAdjoint}'s product.
     */
    public static void addAbs(float[] x, float[] g, int from, int to, float c) {
        ACTIVE.addAbs(x, g, from, to, c);
    }

    /** {@code g[i] += 2·x[i]·c} over {@code [from, to)}, as {@code Ops.squareAdjoint}'s float product. */
    public static void addSquare(float[] x, float[] g, int from, int to, float c) {
        ACTIVE.addSquare(x, g, from, to, c);
    }

    /**
     * Adds {@code count} float rows to double sums, column by column and in row order: for each
     * row {@code r} in order, {@code sums[j] += rows[offset + r·stride + j]} for j in {@code [from,
     * to)}. Each column is one chain of double additions in row order, so the caller's choice of
     * column ranges does not change the bits: the per-image reductions of the convolutions' kernel
     * gradients (one row per image). Four rows a pass, so that each sum is loaded and stored once
     * per four additions (the same chain: the additions stay in row order), about 30% faster than
     * one row a pass over 128 × 18,496 partials. One loop for both paths: a Vector API version
     * that widened floats into double vectors ran twice as fast alone, but in a JVM that trained
     * several models its double vectors' operations, first used after C2 had compiled the other
     * kernels, deoptimized the API's shared lookups, and other kernels then lost their exact
     * vector types ({@code VectorConvRows.forward9}'s and {@code Row3Tiles.tile8x2k3Out}'s stores
     * ran in the API's boxed fallback, VectorPathAllocationFreeStepTest; see {@code
     * kernel.VectorOperationCaches}).
     */
    public static void addRows(float[] rows, int offset, int stride, int count, double[] sums, int from, int to) {
        int r = 0;
        int off = offset;
        for (; r + 4 <= count; r += 4, off += 4 * stride) {
            int o1 = off + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            for (int j = from; j < to; j++) {
                sums[j] = (((sums[j] + rows[off + j]) + rows[o1 + j]) + rows[o2 + j]) + rows[o3 + j];
            }
        }
        for (; r < count; r++, off += stride) {
            for (int j = from; j < to; j++) {
                sums[j] += rows[off + j];
            }
        }
    }

    /** Which path runs: "vector" or "portable". */
    public static String pathName() {
        return ACTIVE == PORTABLE ? "portable" : "vector";
    }

    /** The value a sum adds for {@code v}. */
    static double term(float v, int kind) {
        return kind == PLAIN ? v : kind == ABS ? Math.abs(v) : v * v;
    }

    /**
     * Adds the values {@code [i, to)} (fewer than eight, the run's tail after its whole groups of
     * eight) to the partials they belong to, the first to {@code s0}, and combines the eight.
     */
    static double finish(float[] a, int i, int to, int kind, double s0, double s1, double s2, double s3, double s4,
            double s5, double s6, double s7) {
        int n = to - i;
        double t0 = n > 0 ? s0 + term(a[i], kind) : s0;
        double t1 = n > 1 ? s1 + term(a[i + 1], kind) : s1;
        double t2 = n > 2 ? s2 + term(a[i + 2], kind) : s2;
        double t3 = n > 3 ? s3 + term(a[i + 3], kind) : s3;
        double t4 = n > 4 ? s4 + term(a[i + 4], kind) : s4;
        double t5 = n > 5 ? s5 + term(a[i + 5], kind) : s5;
        double t6 = n > 6 ? s6 + term(a[i + 6], kind) : s6;
        return ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + s7));
    }

}
