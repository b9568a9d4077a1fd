package dev.tapgrad.runtime.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the parts of a layer's batch-level work on the machine's cores: part 0 on the calling
 * thread, the others on helper threads kept for the purpose, and returns when all are done. For
 * work whose parts need no coordination, such as an LSTM's recurrence over separate halves of a
 * batch, where sharing each step's small matrix product between the cores would cost a
 * hand-over per step.
 *
 * <p>While a region runs, matrix products called inside it run on the thread that calls them
 * (every core already has a part). Nothing is allocated per call when the body is kept in a
 * field. A region that starts while another runs, or on one thread ({@code -Dtapgrad.threads=1}),
 * runs its parts one after the other on the calling thread; callers must therefore not make
 * results depend on how many parts run at once (split by data size, not by thread count).
 */
public final class Parallel {
    /** The work of one part. */
    @FunctionalInterface
    public interface Body {
        /** Runs part {@code part} of the region. */
        void run(int part);
    }

    private static final long SPIN_NANOS = 50_000;
    private static final Parallel INSTANCE = Gemm.THREADS > 1 ? new Parallel(Gemm.THREADS - 1) : null;

    private final Thread[] helpers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile Thread caller;
    private volatile Body body;
    private volatile int parts;
    private volatile Throwable failure;

    private Parallel(int helpers) {
        this.helpers = new Thread[helpers];
        for (int h = 0; h < helpers; h++) {
            int index = h + 1;
            Thread t = new Thread(() -> work(index), "tapgrad-parallel-" + index);
            t.setDaemon(true);
            this.helpers[h] = t;
            t.start();
        }
    }

    /**
     * Runs {@code body} for every part {@code 0 … parts − 1} and returns when all have finished;
     * the first failure of any part is rethrown (as is, if unchecked).
     */
    public static void run(int parts, Body body) {
        Parallel p = INSTANCE;
        GemmPool pool = Gemm.pool();
        if (parts <= 1 || p == null || pool == null || !pool.reserve()) {
            for (int i = 0; i < parts; i++) {
                body.run(i);
            }
            return;
        }
        try {
            p.region(parts, body);
        } finally {
            pool.release();
        }
    }

    /** Called with the GEMM pool reserved, which also makes regions exclusive. */
    private void region(int n, Body b) {
        try {
            failure = null;
            body = b;
            parts = n;
            caller = Thread.currentThread();
            int used = Math.min(helpers.length, n - 1);
            pending.set(used);
            generation++; // publishes body and parts
            for (int h = 0; h < used; h++) {
                LockSupport.unpark(helpers[h]);
            }
            // The caller takes part 0 and, with fewer helpers than parts, every part past theirs.
            for (int i = 0; i < n; i += used + 1) {
                b.run(i);
            }
            while (pending.get() > 0) {
                waitFor();
            }
            Throwable f = failure;
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException("Parallel: a part failed", f);
            }
        } finally {
            body = null;
        }
    }

    private void waitFor() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() > 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void work(int index) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            long g;
            while ((g = generation) == seen) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = g;
            Body b = body;
            int n = parts;
            int used = Math.min(helpers.length, n - 1);
            if (index > used) {
                continue; // a region with fewer parts than helpers: this one is not counted in pending
            }
            int stride = used + 1;
            try {
                for (int i = index; i < n; i += stride) {
                    b.run(i);
                }
            } catch (Throwable t) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }
}
