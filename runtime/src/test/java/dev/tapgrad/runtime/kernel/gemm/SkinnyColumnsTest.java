package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The skinny kernel where op(A) is A stored transposed (a head's weight gradient {@code Xᵀ·dY}),
 * which it reads in place along A's rows ({@link SkinnyTiles#columns4}, {@link SkinnyTiles#columns2},
 * {@link SkinnyTiles#columns1}, then single rows): every count of C's columns from 1 to 16, row
 * counts that leave each of those paths a remainder (1, 15 … 17, 31 … 33, 63 … 65, 100, 300), k
 * within one part and cut into parts (not a multiple of the part), both storages of B, overwrite
 * and accumulate, arrays longer than their matrices. Each product is checked against float64, for
 * the same bits on one thread and on three, and for the same bits as the kernel's other path on
 * an explicitly transposed copy of A: the paths sum each element with the same fused multiply-adds
 * in the same order, so where a row of C falls (vector lane, remainder row, chunk) cannot matter.
 */
class SkinnyColumnsTest {
    private static final GemmPool POOL = new GemmPool(3);
    private static final int EXTRA = 29;

    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> s = Stream.builder();
        int[] ms = {1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 300};
        int[] ks = {1, 37, 600, 1100};
        int at = 0;
        for (int n = 1; n <= 16; n++) {
            for (int m : ms) {
                // Every n with every m, k cycling through its values, B's storage and accumulate alternating.
                int k = ks[at % ks.length];
                s.add(Arguments.of(m, n, k, at % 2 == 0, at / 2 % 2 == 0));
                at++;
            }
        }
        // A 3 × 3 kernel's gradient (9 taps × 16 filters over a long k) and other P narrower than a vector.
        s.add(Arguments.of(9, 16, 5000, false, false));
        s.add(Arguments.of(3, 7, 2000, true, true));
        // The heads' shapes: the two-conv CNN's (rows in blocks) and mnist_convnet's.
        s.add(Arguments.of(18432, 10, 64, false, false));
        s.add(Arguments.of(1600, 10, 128, false, true));
        return s.build();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transB={3} accumulate={4}")
    @MethodSource("shapes")
    void matchesFloat64AndTheCopyingPathBitForBitOnAnyThreads(int m, int n, int k, boolean transB, boolean accumulate) {
        Random r = new Random(31L * m + 7L * n + k);
        float[] a = GemmCases.random(r, k * m + EXTRA); // A stored (k, m): op(A) = Aᵀ is (m, k)
        float[] b = GemmCases.random(r, k * n + EXTRA);
        float[] c0 = GemmCases.random(r, m * n + EXTRA);
        float[] alone = c0.clone();
        Gemm.compute(GemmKernels.SKINNY, null, true, false, m, n, k, a, b, alone, accumulate);
        GemmCases.check("", true, false, m, n, k, a, b, c0, alone, accumulate);
        for (int e = m * n; e < alone.length; e++) {
            assertEquals(c0[e], alone[e], "C[" + e + "] past the matrix was written");
        }
        float[] shared = c0.clone();
        Gemm.compute(GemmKernels.SKINNY, POOL, true, false, m, n, k, a, b, shared, accumulate);
        assertArrayEquals(alone, shared, "three threads differ from one");

        // op(A) stored as is (m, k): the eight-row path of rows8 over the same values.
        float[] aRows = new float[m * k + EXTRA];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < k; q++) {
                aRows[i * k + q] = a[q * m + i];
            }
        }
        float[] bStored = b;
        if (transB) {
            // The same op(B) from B stored (n, k).
            bStored = new float[n * k + EXTRA];
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < n; j++) {
                    bStored[j * k + q] = b[q * n + j];
                }
            }
            float[] viaTransB = c0.clone();
            Gemm.compute(GemmKernels.SKINNY, null, true, true, m, n, k, a, bStored, viaTransB, accumulate);
            assertArrayEquals(alone, viaTransB, "B stored transposed gives other bits");
        }
        float[] rows = c0.clone();
        Gemm.compute(GemmKernels.SKINNY, null, false, false, m, n, k, aRows, b, rows, accumulate);
        assertArrayEquals(alone, rows, "A read along its rows differs from A read as rows of op(A)");
    }

    /**
     * Arrays exactly as long as their matrices: the rows short of a vector read A's next row in
     * place, and the last k (whose vector would run past the array) goes lane by lane.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("exactShapes")
    void exactLengthArraysGiveTheSameBits(int m, int n, int k) {
        Random r = new Random(17L * m + n + 3L * k);
        float[] a = GemmCases.random(r, k * m + EXTRA);
        float[] b = GemmCases.random(r, k * n);
        float[] exact = Arrays.copyOf(a, k * m);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        Gemm.compute(GemmKernels.SKINNY, null, true, false, m, n, k, a, b, c1, false);
        Gemm.compute(GemmKernels.SKINNY, null, true, false, m, n, k, exact, b, c2, false);
        GemmCases.check("", true, false, m, n, k, exact, b, new float[m * n], c2, false);
        assertArrayEquals(c1, c2, "the array's length changed the bits");
    }

    static Stream<Arguments> exactShapes() {
        return Stream.of(Arguments.of(1, 10, 40), Arguments.of(9, 16, 700), Arguments.of(17, 3, 5),
                Arguments.of(47, 10, 64), Arguments.of(15, 1, 1));
    }

    /**
     * The CompiledLoopsTest pattern: after 30,000 calls C2 has compiled the column kernels (and
     * the remainder rows' lane-by-lane k), and the bits must still be the first call's, which ran
     * interpreted (the Vector API's Java fallback). 70 rows: 4L, then L or 2L, then a remainder
     * (16 or 8 lanes); the last k's vector would pass the array's end.
     */
    @Test
    void compiledKernelsGiveTheInterpretedBits() {
        int m = 70, n = 10, k = 21;
        Random r = new Random(8);
        float[] a = GemmCases.random(r, k * m);
        float[] b = GemmCases.random(r, k * n);
        float[] first = new float[m * n];
        Gemm.compute(GemmKernels.SKINNY, null, true, false, m, n, k, a, b, first, false);
        GemmCases.check("", true, false, m, n, k, a, b, new float[m * n], first, false);
        float[] c = new float[m * n];
        for (int call = 1; call < 30_000; call++) {
            Gemm.compute(GemmKernels.SKINNY, null, true, false, m, n, k, a, b, c, false);
        }
        assertArrayEquals(first, c, "compiled differs from interpreted");
    }

    /** The bit-for-bit comparison above can fail: one value off by one unit in the last place is seen. */
    @Test
    void theComparisonSeesOneUlp() {
        int m = 33, n = 10, k = 37;
        Random r = new Random(5);
        float[] a = GemmCases.random(r, k * m);
        float[] b = GemmCases.random(r, k * n);
        float[] c = new float[m * n];
        Gemm.compute(GemmKernels.SKINNY, null, true, false, m, n, k, a, b, c, false);
        float[] off = c.clone();
        off[32 * n + 9] = Math.nextUp(off[32 * n + 9]);
        assertTrue(!Arrays.equals(c, off));
    }
}
