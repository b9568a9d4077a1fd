package dev.tapgrad.runtime.kernel.gemm;

/** One thread's part in a {@link GemmJob}: its packing buffers and the loops over a chunk. */
interface GemmWorker {
    /** Takes chunks of the job's current slice from its counter until none is left. */
    void run(GemmJob job);

    /** The job this thread fills in when it computes a product alone. */
    GemmJob local();
}
