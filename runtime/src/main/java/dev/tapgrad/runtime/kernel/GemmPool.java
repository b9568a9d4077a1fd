package dev.tapgrad.runtime.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * not each pay a wake-up.
 */
final class GemmPool {
    /** How long an idle worker or a waiting caller spins before parking. */
    private static final long SPIN_NANOS = 50_000;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Workers still running the current slice. */
    private final AtomicInteger pending = new AtomicInteger();
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
     * Takes the pool for a {@link ParallelFor} loop: until {@link #release}, products run on the
     * thread that calls them, because every core already has a part of the loop's work.
     */
    boolean reserve() {
        return busy.compareAndSet(false, true);
    }

    /** Ends a {@link #reserve}. */
    void release() {
        busy.set(false);
    }

    /**
     * Computes the product with the workers, the calling thread taking part with {@code own};
     * returns false, having done nothing, when the pool is busy with another thread's product or
     * the kernel's plan gives the product a single chunk.
     * Every worker answers every slice (possibly finding no chunk left), so none can mistake a
     * later slice for the one it has seen.
     */
    boolean run(GemmKernel kernel, GemmWorker own, boolean transA, boolean transB, int bigM, int bigN, int bigK, float[] a, float[] b,
            float[] c, boolean accumulate, boolean transposedOut) {
        if (!busy.compareAndSet(false, true)) {
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
                pending.set(workers.length);
                generation.incrementAndGet(); // publishes the job's fields
                for (Thread w : workers) {
                    LockSupport.unpark(w);
                }
                own.run(job);
                awaitWorkers();
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

    private void awaitWorkers() {
        SpinPark.awaitZero(pending, SPIN_NANOS, this);
    }

    private void work() {
        long seen = 0;
        while (true) {
            seen = SpinPark.awaitChange(generation, seen, SPIN_NANOS, this);
            try {
                job.kernel.worker().run(job);
            } catch (Throwable t) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }
}
