package dev.tapgrad.runtime.kernel.gemm;

import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shares large products between the calling thread and the helpers of a {@link ParallelFor} pool
 * (the one every layer pass uses, so that a step never has more runnable threads than cores), one
 * product at a time. Nothing is allocated per product: the pool's {@link GemmJob} is filled in, and
 * each thread's part, run with its own worker of the job's kernel (see {@link GemmKernel#worker}),
 * takes chunks of the current slice until none is left. A helper joins a slice only while the
 * caller is still computing it, and the caller waits only for the helpers that joined (see
 * {@link ParallelFor}). A thread that finds this pool busy with another thread's product, or the
 * helpers busy with a loop, computes alone rather than wait.
 */
final class GemmPool {
    private final ParallelFor helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final GemmJob job = new GemmJob();
    /**
     * One thread's part of a slice: its worker takes chunks until none is left. The items are the
     * threads; a thread that takes two (its helper had not joined yet) runs its worker twice, and
     * the second run finds no chunk left.
     */
    private final ParallelFor.Body part = (from, to, slot) -> {
        for (int i = from; i < to; i++) {
            job.kernel.worker().run(job);
        }
    };

    /** Shares products through {@code helpers}. */
    GemmPool(ParallelFor helpers) {
        this.helpers = helpers;
    }

    /** Shares products between {@code threads} threads of a pool of its own (tests: more threads than cores). */
    GemmPool(int threads) {
        this(ParallelFor.withThreads(threads));
    }

    /**
     * Computes the product with the helpers, the calling thread taking part with {@code own};
     * returns false, having done nothing, when the pool is busy with another thread's product,
     * a {@link ParallelFor} loop is being shared (every core already has a part of its work), or
     * the kernel's plan gives the product a single chunk. A slice the helpers cannot take (another
     * thread's loop holds them) is computed by the caller alone.
     */
    boolean run(GemmKernel kernel, GemmWorker own, boolean transA, boolean transB, int bigM, int bigN, int bigK, float[] a, float[] b,
            float[] c, boolean accumulate, boolean transposedOut) {
        if (ParallelFor.sharing() || !busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            job.set(kernel, transA, transB, bigM, bigN, bigK, a, b, c, accumulate, transposedOut);
            if (job.chunks < 2) {
                return false;
            }
            for (int s = 0, slices = job.slices(); s < slices; s++) {
                job.slice(s);
                if (!helpers.tryShare(helpers.size(), 1, part)) {
                    own.run(job);
                }
            }
            kernel.finish(job);
            return true;
        } finally {
            job.clear();
            busy.set(false);
        }
    }
}
