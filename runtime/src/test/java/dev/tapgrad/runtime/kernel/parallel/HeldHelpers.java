package dev.tapgrad.runtime.kernel.parallel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.function.Executable;

/**
 * Test support: runs a check while another thread's shared call holds a pool's helpers, so that
 * the check meets a busy pool. {@code hold} starts the call with the body it is given (e.g.
 * {@code body -> pool.tryShare(2, 1, body)}); the body waits until the check is done.
 */
public final class HeldHelpers {
    private HeldHelpers() {}

    /** Runs {@code check} once the call {@code hold} starts is inside its body, then lets the call finish. */
    public static void whileHeld(Consumer<ParallelFor.Body> hold, Executable check) throws Throwable {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> hold.accept((from, to, slot) -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        try {
            assertTrue(inside.await(5, TimeUnit.SECONDS), "the holding call did not start");
            check.execute();
        } finally {
            release.countDown();
            holder.join(5000);
        }
    }
}
