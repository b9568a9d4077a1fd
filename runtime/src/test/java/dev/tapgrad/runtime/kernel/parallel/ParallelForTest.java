package dev.tapgrad.runtime.kernel.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Shared loops: every item runs once, failures come back, products inside stay correct. */
class ParallelForTest {
    @RepeatedTest(20)
    void everyPartRunsExactlyOnce() {
        for (int parts : new int[] {0, 1, 2, 3, 5}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(parts, 1));
            ParallelFor.run(parts, 1, (from, to, slot) -> {
                for (int p = from; p < to; p++) {
                    runs.incrementAndGet(p);
                }
            });
            for (int p = 0; p < parts; p++) {
                assertEquals(1, runs.get(p), parts + " items: item " + p);
            }
        }
    }

    /**
     * Calls back to back, most far shorter than a parked helper's wake-up: a helper that wakes late
     * joins the call running then or none, so no item runs twice or not at all, no finished call's
     * body runs again (every count is checked once more at the end), and the caller, which waits
     * only for the helpers that joined, never hangs.
     */
    @Test
    void backToBackShortCallsRunEachItemOnceInTheirOwnCall() {
        java.util.List<AtomicIntegerArray> all = new java.util.ArrayList<>();
        for (int call = 0; call < 20_000; call++) {
            int items = 2 + call % 7;
            AtomicIntegerArray runs = new AtomicIntegerArray(items);
            boolean slow = call % 500 == 0; // now and then a long call, after which the helpers have parked
            ParallelFor.run(items, 1, (from, to, slot) -> {
                for (int p = from; p < to; p++) {
                    // Each item takes a microsecond, so a helper is often mid-item when the caller
                    // runs out of items: a caller that stopped waiting too early would see it uncounted.
                    long until = System.nanoTime() + 1_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    runs.incrementAndGet(p);
                }
                if (slow) {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            for (int p = 0; p < items; p++) {
                assertEquals(1, runs.get(p), "call " + call + ", item " + p);
            }
            all.add(runs);
        }
        for (int call = 0; call < all.size(); call++) {
            for (int p = 0; p < all.get(call).length(); p++) {
                assertEquals(1, all.get(call).get(p), "call " + call + ", item " + p + ", counted again after its call");
            }
        }
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersFinish() {
        IllegalStateException boom = new IllegalStateException("item 1 failed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelFor.run(2, 1, (from, to, slot) -> {
            if (from == 1) {
                throw boom;
            }
        }));
        // Thrown as is from the caller's chunk, wrapped from a helper's.
        assertSame(boom, e.getMessage().equals(boom.getMessage()) ? e : e.getCause());
        // The loop is over: the next one runs normally.
        AtomicIntegerArray again = new AtomicIntegerArray(2);
        ParallelFor.run(2, 1, (from, to, slot) -> {
            for (int p = from; p < to; p++) {
                again.incrementAndGet(p);
            }
        });
        assertEquals(1, again.get(0));
        assertEquals(1, again.get(1));
    }

    @Test
    void productsInsideASharedLoopAreCorrect() {
        int m = 64;
        int n = 64;
        int k = 64; // 2^18 multiply-adds: outside a loop this product would be shared
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) - 3;
            b[i] = (i % 5) - 2;
        }
        float[] expected = new float[m * n];
        Gemm.gemm(false, false, m, n, k, a, b, expected, false);
        float[][] c = new float[4][m * n];
        ParallelFor.run(4, 1, (from, to, slot) -> {
            for (int p = from; p < to; p++) {
                Gemm.gemm(false, false, m, n, k, a, b, c[p], false);
            }
        });
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(expected, c[p], "loop item " + p);
        }
        // Small integers: every sum is exact, so the reference is the plain triple loop.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int q = 0; q < k; q++) {
                    s += a[i * k + q] * b[q * n + j];
                }
                assertEquals(s, expected[i * n + j]);
            }
        }
    }

    @Test
    void aLoopInsideALoopRunsInItsCaller() {
        AtomicIntegerArray inner = new AtomicIntegerArray(6);
        ParallelFor.run(2, 1, (from, to, slot) -> {
            for (int p = from; p < to; p++) {
                int outer = p;
                ParallelFor.run(3, 1, (f2, t2, s2) -> {
                    for (int q = f2; q < t2; q++) {
                        inner.incrementAndGet(outer * 3 + q);
                    }
                });
            }
        });
        for (int i = 0; i < 6; i++) {
            assertEquals(1, inner.get(i), "inner item " + i);
        }
    }

    @Test
    void aPoolOfItsOwnSharesItemsBetweenItsThreads() throws Exception {
        ParallelFor pool = ParallelFor.withThreads(3);
        assertEquals(3, pool.size());
        AtomicIntegerArray runs = new AtomicIntegerArray(7);
        Set<Integer> slots = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(3);
        // each item waits (briefly) until three threads are inside, so the items cannot all run on the caller
        assertTrue(pool.tryShare(3, 1, (from, to, slot) -> {
            slots.add(slot);
            all.countDown();
            try {
                all.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int p = from; p < to; p++) {
                runs.incrementAndGet(p);
            }
        }));
        assertEquals(Set.of(0, 1, 2), slots, "every thread of the pool took part, each in its own slot");
        for (int p = 0; p < 3; p++) {
            assertEquals(1, runs.get(p), "item " + p);
        }
        assertThrows(IllegalArgumentException.class, () -> ParallelFor.withThreads(1));
    }

    @Test
    void tryShareRefusesOneChunkAndABusyPool() throws Throwable {
        ParallelFor pool = ParallelFor.withThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        assertFalse(pool.tryShare(1, 1, (from, to, slot) -> runs.incrementAndGet(0)), "one chunk: the caller runs it");
        assertFalse(pool.tryShare(4, 4, (from, to, slot) -> runs.incrementAndGet(0)), "one chunk of four items");
        assertEquals(0, runs.get(0), "a refused call runs nothing");
        // while another thread's call holds the pool, a second call is refused rather than queued
        HeldHelpers.whileHeld(body -> pool.tryShare(2, 1, body),
                () -> assertFalse(pool.tryShare(2, 1, (from, to, slot) -> runs.incrementAndGet(1)), "busy pool"));
        assertTrue(pool.tryShare(2, 1, (from, to, slot) -> {
            for (int p = from; p < to; p++) {
                runs.incrementAndGet(1);
            }
        }), "free again");
        assertEquals(2, runs.get(1));
        assertThrows(IllegalArgumentException.class, () -> pool.tryShare(-1, 1, (from, to, slot) -> { }));
    }
}
