package dev.tapgrad.runtime.kernel.gemm;

/**
 * One implementation of the GEMM's arithmetic: how it cuts a product into chunks and slices, and
 * the per-thread worker that computes them. {@link Gemm} checks the arguments and shares the
 * chunks between threads; a kernel only decides the geometry and does the work. Two exist: the
 * portable one ({@link PortableKernel}, plain Java) and the Vector API one ({@code VectorKernel}),
 * which is loaded by name only when {@code jdk.incubator.vector} is present, so that no class
 * referring to that module is loaded without it.
 */
interface GemmKernel {
    /** A short description for logs and benchmarks, e.g. {@code portable}. */
    String name();

    /**
     * Whether this kernel pays on a product whose C is (m, n); {@link Gemm} gives the others to the
     * portable kernel. Depends on the shape only, so the bits still do not depend on the threads.
     */
    boolean suits(int m, int n, int k);

    /**
     * Whether a product whose C is (m, n) is better computed as {@code Cᵀ = op(B)ᵀ · op(A)ᵀ},
     * whose rows are C's columns.
     */
    boolean transposes(int m, int n);

    /**
     * Sets the job's chunk geometry ({@link GemmJob#mb}, {@link GemmJob#nc}, {@link GemmJob#kmax})
     * from its shape. The geometry may depend on anything but must not change the order in which
     * an element of C is summed other than through {@code kmax}, which must not depend on the
     * number of threads: results are the same bits whatever thread computes a chunk. (The vector
     * kernel's sums do not depend on {@code kmax} either, so its plan may set it from the threads.)
     */
    void plan(GemmJob job);

    /**
     * Whether a product of {@code work} multiply-adds is worth sharing between threads (if its
     * plan gives it two chunks or more); {@link Gemm#PARALLEL} on by default.
     */
    default boolean shares(long work) {
        return work >= Gemm.PARALLEL;
    }

    /**
     * Completes a job once all its chunks are done, on the calling thread: sums the parts of k a
     * plan with {@link GemmJob#kParts} above 1 left in {@link GemmJob#partials}. Nothing by default.
     */
    default void finish(GemmJob job) {}

    /** The calling thread's worker, with buffers it keeps from product to product. */
    GemmWorker worker();
}
