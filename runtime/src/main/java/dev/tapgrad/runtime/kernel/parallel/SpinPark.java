package dev.tapgrad.runtime.kernel.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The waits of the two hand-offs between threads (the GEMM's pool, {@link ParallelFor}): spin for
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

    /** Waits until {@code count} has reached {@code target} (a caller waiting for the helpers that joined its call). */
    public static void awaitCount(AtomicInteger count, int target, long spinNanos, Object blocker) {
        long spinUntil = System.nanoTime() + spinNanos;
        while (count.get() < target) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(blocker);
            }
        }
    }
}
