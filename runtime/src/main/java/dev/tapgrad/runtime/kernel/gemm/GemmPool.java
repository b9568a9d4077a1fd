package dev.tapgrad.runtime.kernel.gemm;

import dev.tapgrad.runtime.kernel.parallel.JoinGate;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import dev.tapgrad.runtime.kernel.parallel.SpinPark;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper threads that share large products with the calling thread: {@code threads − 1}
 * daemon workers, one product at a time, each with its own worker of the job's kernel (see
 * {@link GemmKernel#worker}). Nothing is allocated
 * per product: the pool's {@link GemmJob} is filled in and published by a volatile counter, and all
 * threads take chunks from it until none is left. A thread that finds the pool busy with another
 * thread's product computes alone rather than wait. Idle workers and the waiting caller spin for a
 * short while before parking, so that back-to-back products (a layer's forward, then backward) do
 * not each pay a wake-up. A worker joins a slice only while the caller is still computing it; the
 * caller then waits for the workers that joined, never for one still waking up (as in
 * {@link ParallelFor}).
 */
final class GemmPool {
    /** How long an idle worker or a waiting caller spins before parking. */
    private static final long SPIN_NANOS = 50_000;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Which workers take part in the current slice. */
    private final JoinGate gate = new JoinGate();
    private final GemmJob job = new GemmJob();
    /** Incremented to publish a slice of the job; the job's fields are written before it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Thread caller;
    private volatile Throwable failure;

    GemmPool(int threads) {
        workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            Thread t = new Thread(this::work, "tapgrad-gemm-" + (w + 1));
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /**
     * Computes the product with the workers, the calling thread taking part with {@code own};
     * returns false, having done nothing, when the pool is busy with another thread's product,
     * a {@link ParallelFor} loop is being shared (every core already has a part of its work), or
     * the kernel's plan gives the product a single chunk.
     * A worker that wakes after the caller has finished a slice does not join it; it may join a
     * later slice, whose fields were written before that slice opened.
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
            caller = Thread.currentThread();
            for (int s = 0, slices = job.slices(); s < slices; s++) {
                job.slice(s);
                failure = null;
                gate.open(); // publishes the job's fields to the workers that join
                generation.incrementAndGet();
                for (Thread w : workers) {
                    LockSupport.unpark(w);
                }
                try {
                    own.run(job);
                } finally {
                    // Closed: every chunk is taken (or the caller failed); wait only for the workers
                    // that joined, and before the job is cleared or refilled.
                    gate.closeAndAwait(SPIN_NANOS, this);
                }
                Throwable f = failure;
                if (f != null) {
                    throw new IllegalStateException("gemm: a helper thread failed", f);
                }
            }
            kernel.finish(job);
            return true;
        } finally {
            job.clear();
            busy.set(false);
        }
    }

    private void work() {
        long seen = 0;
        while (true) {
            seen = SpinPark.awaitChange(generation, seen, SPIN_NANOS, this);
            if (!gate.join()) {
                continue;
            }
            try {
                job.kernel.worker().run(job);
            } catch (Throwable t) {
                failure = t;
            }
            gate.leave(caller);
        }
    }
}
