package dev.tapgrad.runtime.kernel.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Who takes part in one shared call (a {@link ParallelFor} loop, a slice of a GEMM): the caller
 * {@link #open opens} the call after writing its fields, helpers {@link #join} it while it is open,
 * and once the caller has handed out its last piece of work it {@link #closeAndAwait closes} the
 * call and waits for the helpers that joined — never for one still waking up, since a parked
 * thread takes tens of microseconds to run again (much longer on a loaded machine), longer than
 * many of a training step's passes. A helper that woke late finds the call closed and does
 * nothing, or joins the next call, whose fields were written before it opened. Allocates nothing.
 * A kernel, not user API: public only because the GEMM's pool (in {@code kernel.gemm}) shares
 * calls the same way.
 */
public final class JoinGate {
    /** Added to {@link #joined} when the call takes no more helpers. */
    private static final int CLOSED = 1 << 30;

    /** The helpers that joined the current call, plus {@link #CLOSED} once it is closed. */
    private final AtomicInteger joined = new AtomicInteger(CLOSED);
    /** The helpers that joined the current call and have finished their part. */
    private final AtomicInteger finished = new AtomicInteger();

    /** Opens a call; the caller's writes before it are seen by every helper that joins it. */
    public void open() {
        finished.set(0);
        joined.set(0);
    }

    /** A helper joins the current call; false, having done nothing, when it is closed. */
    public boolean join() {
        int v;
        do {
            v = joined.get();
            if (v >= CLOSED) {
                return false;
            }
        } while (!joined.compareAndSet(v, v + 1));
        return true;
    }

    /** A helper that joined has finished its part; wakes {@code caller} if it is waiting. */
    public void leave(Thread caller) {
        finished.incrementAndGet();
        LockSupport.unpark(caller);
    }

    /**
     * The caller closes the call (no helper joins it from now on) and waits, spinning for
     * {@code spinNanos} before parking, until every helper that joined has left.
     */
    public void closeAndAwait(long spinNanos, Object blocker) {
        int helping = joined.getAndAdd(CLOSED);
        long spinUntil = System.nanoTime() + spinNanos;
        while (finished.get() < helping) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(blocker);
            }
        }
    }
}
