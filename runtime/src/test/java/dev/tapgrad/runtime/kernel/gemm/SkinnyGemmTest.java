package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The skinny kernel ({@link SkinnyKernel}) called directly: a short side of 1, 2, 3, 10 or 16 as
 * C's columns or its rows, against a long k (cut into parts), a long other side (cut into blocks
 * of rows) or both short, every combination of transposes, overwrite and accumulate. Each result
 * is checked against a float64 product with a bound derived from k, for giving the same bits on
 * one thread as on a pool of three, and for leaving the values past each array's matrix alone.
 */
class SkinnyGemmTest {
    private static final GemmPool POOL = new GemmPool(3);
    /** Past each matrix in its array: must be neither read into the product nor written. */
    private static final int EXTRA = 37;

    static Stream<Arguments> shapes() {
        int[][] sizes = {
            // C's columns short: the 10-class head forward (k in parts) and weight gradient (rows in blocks)
            {32, 10, 21632}, {21632, 10, 33}, {1000, 16, 33}, {33, 3, 1000}, {1000, 1, 33}, {17, 2, 1000},
            {7, 10, 1025}, {9, 16, 33},
            // C's rows short: computed as Cᵀ
            {10, 1000, 33}, {3, 33, 1000}, {16, 200, 517}, {1, 100, 33}, {2, 1000, 3},
        };
        return GemmCases.everyCombination(sizes);
    }

    @Test
    void theSkinnyKernelRunsWhereTheVectorKernelDoesAndTakesOnlyShortSides() {
        assertNotNull(GemmKernels.SKINNY, "tests run with --add-modules jdk.incubator.vector (see the parent pom)");
        assertTrue(GemmKernels.SKINNY.suits(21632, 10, 32));
        assertTrue(GemmKernels.SKINNY.suits(16, 1000, 1000));
        assertTrue(!GemmKernels.SKINNY.suits(17, 1000, 1000) && !GemmKernels.SKINNY.suits(1000, 17, 3));
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("shapes")
    void matchesAFloat64ProductOnOneThreadAndBitForBitOnThree(boolean transA, boolean transB, int m, int n, int k,
            boolean accumulate) {
        Random r = new Random(101L * m + 13L * n + k + (transA ? 7 : 0) + (transB ? 11 : 0) + (accumulate ? 3 : 0));
        float[] a = GemmCases.random(r, m * k + EXTRA);
        float[] b = GemmCases.random(r, k * n + EXTRA);
        float[] c0 = GemmCases.random(r, m * n + EXTRA);
        float[] alone = c0.clone();
        Gemm.compute(GemmKernels.SKINNY, null, transA, transB, m, n, k, a, b, alone, accumulate);
        check(transA, transB, m, n, k, a, b, c0, alone, accumulate);
        float[] shared = c0.clone();
        Gemm.compute(GemmKernels.SKINNY, POOL, transA, transB, m, n, k, a, b, shared, accumulate);
        assertTrue(Arrays.equals(alone, shared), "three threads differ from one");
        // Again on the same buffers: a thread's copy of op(B) from the previous product must not be reused.
        float[] again = c0.clone();
        Gemm.compute(GemmKernels.SKINNY, POOL, transA, transB, m, n, k, a, b, again, accumulate);
        assertTrue(Arrays.equals(alone, again), "a repeated product differs");
    }

    /** With inputs that change between products (a step's weights), nothing stale is used. */
    @Test
    void aSecondProductWithNewValuesIsNotTheFirst() {
        int m = 64, n = 10, k = 700;
        Random r = new Random(4);
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c = new float[m * n];
        Gemm.compute(GemmKernels.SKINNY, POOL, false, true, m, n, k, a, b, c, false);
        b = GemmCases.random(r, k * n);
        Gemm.compute(GemmKernels.SKINNY, POOL, false, true, m, n, k, a, b, c, false);
        check(false, true, m, n, k, a, b, new float[m * n], c, false);
    }

    /** {@link Gemm#gemm} picks this kernel for the head's shapes. */
    @Test
    void gemmUsesItForTheHeadShapes() {
        assertSame(GemmKernels.SKINNY, pick(32, 10, 21632));
        assertSame(GemmKernels.SKINNY, pick(21632, 10, 128));
        assertSame(GemmKernels.SKINNY, pick(9, 32, 4056));
        assertSame(GemmKernels.VECTOR, pick(512, 512, 512));
    }

    /**
     * The check itself must catch a wrong product: one value changed fails it (by 0.5 here, where
     * k = 2000 in parts allows about 0.15; a wrong index or a lost part is off by far more).
     */
    @Test
    void theCheckFailsOnAWrongValue() {
        Random r = new Random(1);
        int m = 40, n = 10, k = 2000;
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c = new float[m * n];
        Gemm.compute(GemmKernels.SKINNY, null, false, false, m, n, k, a, b, c, false);
        c[5 * n + 7] += 0.5f;
        try {
            check(false, false, m, n, k, a, b, new float[m * n], c, false);
        } catch (AssertionError expected) {
            return;
        }
        fail("a value off by 0.5 passed the check");
    }

    /** {@link GemmCases#check}, and the values past C's matrix unchanged. */
    private static void check(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b,
            float[] c0, float[] c, boolean accumulate) {
        GemmCases.check("", transA, transB, m, n, k, a, b, c0, c, accumulate);
        for (int e = m * n; e < c.length; e++) {
            assertEquals(c0[e], c[e], "C[" + e + "] past the matrix was written");
        }
    }

    private static GemmKernel pick(int m, int n, int k) {
        return GemmKernels.ACTIVE.suits(m, n, k) ? GemmKernels.ACTIVE
                : GemmKernels.SKINNY.suits(m, n, k) ? GemmKernels.SKINNY : GemmKernels.PORTABLE;
    }
}
