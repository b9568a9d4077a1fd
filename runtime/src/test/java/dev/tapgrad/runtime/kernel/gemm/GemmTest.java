package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class GemmTest {
    /** More threads than this machine may have cores: the shared path is exercised everywhere. */
    private static final GemmPool POOL = new GemmPool(3);

    static Stream<Arguments> cases() {
        int[][] sizes = {{1, 1, 1}, {2, 3, 4}, {5, 1, 7}, {1, 6, 3}, {37, 29, 53}, {64, 70, 9}};
        return GemmCases.everyCombination(sizes);
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("cases")
    void matchesNaiveTripleLoopInDouble(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        Random r = new Random(31L * m + 7L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c = random(r, m * n);
        float[] c0 = c.clone();

        Gemm.gemm(transA, transB, m, n, k, a, b, c, accumulate);

        GemmCases.Reference ref = GemmCases.reference(transA, transB, m, n, k, a, b, c0, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double scale = ref.magnitude()[i * n + j];
                assertEquals(ref.product()[i * n + j], c[i * n + j], 1e-6 * (1 + scale), "C[" + i + "," + j + "]");
            }
        }
    }

    /**
     * Sizes that reach every part of the blocked kernel: several chunks of rows and of columns
     * (MB = 16, NC = 1024), several slices of k (KMAX = 512) with a length not divisible by 4,
     * short rows computed transposed (n < 64 < m), L1 stretches with remainders, and the
     * dot-product-like shapes of a conv's kernel gradient and a 10-class head.
     */
    static Stream<Arguments> blockedCases() {
        int[][] sizes = {{17, 1030, 7}, {33, 70, 1031}, {1, 2049, 5}, {70, 1, 300}, {200, 10, 77},
            {9, 32, 1300}, {32, 10, 2163}, {130, 63, 64}, {48, 65, 515}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : sizes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    b.add(Arguments.of(ta, tb, s[0], s[1], s[2], (s[0] + s[2]) % 2 == 0));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("blockedCases")
    void blockedSizesMatchNaiveLoop(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        matchesNaiveTripleLoopInDouble(transA, transB, m, n, k, accumulate);
    }

    /**
     * The shared path (a pool of three threads, whatever this machine has) gives exactly the bits of
     * one thread: every element is summed in the same order by whichever thread takes its chunk.
     */
    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("blockedCases")
    void threadsGiveTheSameBitsAsOneThread(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        Random r = new Random(11L * m + n + 13L * k);
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c = random(r, m * n);
        float[] alone = c.clone();
        Gemm.compute(null, transA, transB, m, n, k, a, b, alone, accumulate);
        float[] shared = c.clone();
        Gemm.compute(POOL, transA, transB, m, n, k, a, b, shared, accumulate);
        assertEquals(Arrays.toString(alone), Arrays.toString(shared));
    }

    /** Threads calling gemm at once each get their own product (one shares the pool, the others compute alone). */
    @Test
    void concurrentCallersGetTheirOwnProducts() throws Exception {
        int m = 96, n = 80, k = 300;
        Random r = new Random(5);
        float[][] as = new float[4][];
        float[][] expected = new float[4][];
        float[] b = random(r, k * n);
        for (int t = 0; t < 4; t++) {
            as[t] = random(r, m * k);
            expected[t] = new float[m * n];
            Gemm.compute(null, false, false, m, n, k, as[t], b, expected[t], false);
        }
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                results.add(callers.submit(() -> {
                    float[] c = new float[m * n];
                    for (int rep = 0; rep < 50; rep++) {
                        Gemm.compute(POOL, false, false, m, n, k, as[id], b, c, false);
                        if (!Arrays.equals(expected[id], c)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : results) {
                assertTrue(f.get(), "a concurrent product differs from the product computed alone");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void readsAndWritesOnlyTheLeadingPartOfLongerArrays() {
        Random r = new Random(3);
        int m = 4, n = 5, k = 3;
        float[] a = random(r, m * k + 10);
        float[] b = random(r, k * n + 10);
        float[] c = new float[m * n + 6];
        Arrays.fill(c, m * n, c.length, 42f);

        Gemm.gemm(false, false, m, n, k, a, b, c, false);

        for (int i = m * n; i < c.length; i++) {
            assertEquals(42f, c[i], "value past C must stay untouched");
        }
        double c00 = 0;
        for (int p = 0; p < k; p++) {
            c00 += (double) a[p] * b[p * n];
        }
        assertEquals(c00, c[0], 1e-6);
    }

    @Test
    void emptyInnerDimensionGivesZerosOrLeavesCUnchanged() {
        float[] c = {1, 2, 3, 4};
        Gemm.gemm(false, false, 2, 2, 0, new float[0], new float[0], c, true);
        assertArrayEqualsExact(new float[] {1, 2, 3, 4}, c);
        Gemm.gemm(false, false, 2, 2, 0, new float[0], new float[0], c, false);
        assertArrayEqualsExact(new float[] {0, 0, 0, 0}, c);
    }

    @Test
    void rejectsCAliasingAOrB() {
        float[] a = new float[4];
        float[] b = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 2, a, b, a, false));
        assertTrue(e.getMessage().contains("same array as A"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(false, false, 2, 2, 2, a, b, b, false));
        assertTrue(e.getMessage().contains("same array as B"), e.getMessage());
    }

    @Test
    void rejectsShortArraysAndNamesTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(true, false, 3, 2, 4, new float[11], new float[8], new float[6], false));
        assertTrue(e.getMessage().contains("A has 11 values but needs 12"), e.getMessage());
        assertTrue(e.getMessage().contains("(4, 3)^T"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 3, 2, 4, new float[12], new float[8], new float[5], false));
        assertTrue(e.getMessage().contains("C has 5 values but needs 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, -1, 2, 4, new float[12], new float[8], new float[6], false));
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static void assertArrayEqualsExact(float[] expected, float[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }
}
