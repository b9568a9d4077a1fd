package dev.tapgrad.runtime.kernel.parallel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The helpers' wait for work in the two hand-offs between threads (the GEMM's pool,
 * {@link ParallelFor}; the caller's wait for them is {@link JoinGate}'s): spin for
 * a moment, since the next product or loop of a training step usually follows within
 * microseconds, then park until unparked. Allocates nothing. A kernel, not user API: public only
 * because the GEMM's pool (in {@code kernel.gemm}) waits the same way.
 */
public final class SpinPark {
    private SpinPark() {}

    /** Waits until {@code counter} differs from {@code seen} and returns its new value (a worker waiting for work). */
    public static long awaitChange(AtomicLong counter, long seen, long spinNanos, Object blocker) {
        long spinUntil = System.nanoTime() + spinNanos;
        long now;
        while ((now = counter.get()) == seen) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(blocker);
            }
        }
        return now;
    }
}
