package dev.tapgrad.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Parallel regions: every part runs once, failures come back, products inside stay correct. */
class ParallelTest {
    @RepeatedTest(20)
    void everyPartRunsExactlyOnce() {
        for (int parts : new int[] {0, 1, 2, 3, 5}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(parts, 1));
            Parallel.run(parts, runs::incrementAndGet);
            for (int p = 0; p < parts; p++) {
                assertEquals(1, runs.get(p), parts + " parts: part " + p);
            }
        }
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersFinish() {
        IllegalStateException boom = new IllegalStateException("part 1 failed");
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(2, p -> {
            runs.incrementAndGet(p);
            if (p == 1) {
                throw boom;
            }
        }));
        assertSame(boom, e);
        assertEquals(1, runs.get(0));
        // The region is over: the next one runs normally.
        AtomicIntegerArray again = new AtomicIntegerArray(2);
        Parallel.run(2, again::incrementAndGet);
        assertEquals(1, again.get(0));
        assertEquals(1, again.get(1));
    }

    @Test
    void productsInsideARegionAreComputedOnTheirOwnThreadAndCorrect() {
        int m = 64;
        int n = 64;
        int k = 64; // 2^18 multiply-adds: outside a region this product would be shared
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) - 3;
            b[i] = (i % 5) - 2;
        }
        float[] expected = new float[m * n];
        Gemm.gemm(false, false, m, n, k, a, b, expected, false);
        float[][] c = new float[4][m * n];
        Parallel.run(4, p -> Gemm.gemm(false, false, m, n, k, a, b, c[p], false));
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(expected, c[p], "part " + p);
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
    void aRegionInsideARegionRunsItsPartsInOrder() {
        AtomicIntegerArray inner = new AtomicIntegerArray(6);
        Parallel.run(2, p -> Parallel.run(3, q -> inner.incrementAndGet(p * 3 + q)));
        for (int i = 0; i < 6; i++) {
            assertEquals(1, inner.get(i), "inner part " + i);
        }
    }
}
