package dev.tapgrad.runtime.kernel.gemm;

import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.Arrays;

/**
 * Single-precision matrix product {@code C (+)= op(A) · op(B)} over row-major arrays, the one
 * GEMM entry point behind Dense, Conv2D and Lstm.
 *
 * <p>Two kernels, chosen once per JVM ({@link #kernelName} says which runs): with
 * {@code java --add-modules jdk.incubator.vector}, a Vector API kernel that keeps a block of C in
 * vector registers (about twice as fast on large products; {@code -Dtapgrad.vector=false} turns it
 * off); otherwise, and on plain JDK 17 without flags, a portable packed, cache-blocked kernel shaped
 * for HotSpot's auto-vectoriser (see {@link GemmBlock} and {@link RowKernels}), which prints a
 * one-line hint to stderr on the first product. With the vector kernel, products whose C has at
 * most a vector's lanes of rows or columns (a 10-class head) go to a third, {@link SkinnyKernel}
 * ({@code -Dtapgrad.skinny=false} turns it off). Each may compute {@code Cᵀ = op(B)ᵀ · op(A)ᵀ}
 * instead when C's rows are too short for its vectors (a 10-class output layer). Large products
 * are shared between the machine's cores. The result does not depend on the number of threads.
 * {@code -Dtapgrad.threads=N} sets how many threads share a product (default: the available
 * processors; 1 turns the helper threads off).
 */
public final class Gemm {
    /**
     * From this many multiply-adds on, a product with at least two chunks is shared between
     * threads. Measured on 2 cores: back to back, even a 32×64×64 product runs 1.7× faster shared,
     * but inside a training step the helper has often parked, and waking it costs more than small
     * products gain (the cosine-diversity MLP spent a fifth of its step waiting); a 32×256×64 LSTM
     * step (2^19) is still shared.
     */
    static final long PARALLEL = 1L << 18;

    /** How many threads share a large product. */
    static final int THREADS = threads();
    /** Shares products through the helpers every layer pass uses (one helper per extra core). */
    private static final GemmPool POOL = ParallelFor.shared() != null ? new GemmPool(ParallelFor.shared()) : null;

    private Gemm() {}

    /** The shared pool, or null on one thread. */
    static GemmPool pool() {
        return POOL;
    }

    /**
     * Which kernel computes this JVM's products: {@code portable}, or e.g.
     * {@code vector (AVX-512, 16 lanes, 12x32 tiles)}; for benchmarks and logs.
     */
    public static String kernelName() {
        return GemmKernels.ACTIVE.name();
    }

    /**
     * {@code C = op(A) · op(B)}, or {@code C += op(A) · op(B)} when {@code accumulate}.
     *
     * <p>Shapes (row-major): {@code op(A)} is (m, k), so {@code a} holds an (m, k) matrix, or a
     * (k, m) one when {@code transA}; {@code op(B)} is (k, n), so {@code b} holds (k, n), or (n, k)
     * when {@code transB}; {@code c} is (m, n). Each array may be longer than its matrix (a
     * scratch buffer sized for a larger batch); only the leading values are read or written.
     * Nothing is allocated per call: each thread packs into buffers it keeps.
     *
     * @throws IllegalArgumentException if a dimension is negative, an array is too short for its
     *     matrix, or {@code c} is the same array as {@code a} or {@code b}
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
            float[] a, float[] b, float[] c, boolean accumulate) {
        // The message is built only on failure: this runs once per layer per step.
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative dimension in " + describe(transA, transB, m, n, k));
        }
        checkLength("A", a, m, k, transA, transB, m, n, k);
        checkLength("B", b, k, n, transA, transB, m, n, k);
        checkLength("C", c, m, n, transA, transB, m, n, k);
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C must not be the same array as " + (c == a ? "A" : "B")
                    + " (" + describe(transA, transB, m, n, k) + "); write the product into a separate buffer");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // An empty inner dimension sums nothing.
            if (!accumulate) {
                Arrays.fill(c, 0, m * n, 0f);
            }
            return;
        }
        GemmKernels.hintOnce();
        compute(POOL, transA, transB, m, n, k, a, b, c, accumulate);
    }

    /**
     * {@link #gemm} with this JVM's kernel, or the portable one where that does not pay, sharing
     * large products with {@code pool} if not null.
     */
    static void compute(GemmPool pool, boolean transA, boolean transB, int m, int n, int k,
            float[] a, float[] b, float[] c, boolean accumulate) {
        GemmKernel kernel = GemmKernels.ACTIVE.suits(m, n, k) ? GemmKernels.ACTIVE
                : GemmKernels.SKINNY != null && GemmKernels.SKINNY.suits(m, n, k) ? GemmKernels.SKINNY
                : GemmKernels.PORTABLE;
        compute(kernel, pool, transA, transB, m, n, k, a, b, c, accumulate);
    }

    /** {@link #gemm} on valid, non-empty arguments with {@code kernel}, sharing large products with {@code pool} if not null. */
    static void compute(GemmKernel kernel, GemmPool pool, boolean transA, boolean transB, int m, int n, int k,
            float[] a, float[] b, float[] c, boolean accumulate) {
        long work = (long) m * n * k;
        if (kernel.transposes(m, n)) {
            // Cᵀ = op(B)ᵀ · op(A)ᵀ: B's storage read as the transposed left operand and vice versa.
            run(kernel, pool, !transB, !transA, n, m, k, b, a, c, accumulate, true, work);
        } else {
            run(kernel, pool, transA, transB, m, n, k, a, b, c, accumulate, false, work);
        }
    }

    private static void run(GemmKernel kernel, GemmPool pool, boolean transA, boolean transB, int bigM, int bigN,
            int bigK, float[] a, float[] b, float[] c, boolean accumulate, boolean transposedOut, long work) {
        GemmWorker own = kernel.worker();
        if (pool != null && kernel.shares(work)
                && pool.run(kernel, own, transA, transB, bigM, bigN, bigK, a, b, c, accumulate, transposedOut)) {
            return;
        }
        GemmJob job = own.local();
        job.set(kernel, transA, transB, bigM, bigN, bigK, a, b, c, accumulate, transposedOut);
        try {
            for (int s = 0, slices = job.slices(); s < slices; s++) {
                job.slice(s);
                own.run(job);
            }
            kernel.finish(job);
        } finally {
            job.clear();
        }
    }

    private static int threads() {
        int available = Runtime.getRuntime().availableProcessors();
        Integer set = Integer.getInteger("tapgrad.threads");
        int t = set != null && set > 0 ? set : available;
        return Math.max(1, Math.min(t, 64));
    }

    private static void checkLength(String name, float[] array, int rows, int cols,
            boolean transA, boolean transB, int m, int n, int k) {
        if (array == null) {
            throw new IllegalArgumentException("gemm: " + name + " is null (" + describe(transA, transB, m, n, k) + ")");
        }
        long needed = (long) rows * cols;
        if (array.length < needed) {
            throw new IllegalArgumentException("gemm: " + name + " has " + array.length + " values but needs "
                    + needed + " (" + describe(transA, transB, m, n, k) + ")");
        }
    }

    private static String describe(boolean transA, boolean transB, int m, int n, int k) {
        return "A " + (transA ? "(" + k + ", " + m + ")^T" : "(" + m + ", " + k + ")")
                + " · B " + (transB ? "(" + n + ", " + k + ")^T" : "(" + k + ", " + n + ")")
                + " -> C (" + m + ", " + n + ")";
    }
}
