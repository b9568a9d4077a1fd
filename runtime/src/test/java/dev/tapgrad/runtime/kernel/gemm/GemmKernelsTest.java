package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernels on the same inputs, each called directly (whichever one {@link Gemm#gemm} would
 * pick): every combination of transposes, overwrite and accumulate, sizes that end inside a tile
 * (odd, one past a power of two), skinny products, and several slices of k. Each result is checked
 * against a float64 product with a bound derived from k and the magnitudes, and the vector kernel
 * for giving the same bits on one thread as on a pool of three. The build runs the tests with
 * {@code --add-modules jdk.incubator.vector}, so the vector kernel must be present here.
 */
class GemmKernelsTest {
    private static final GemmPool POOL = new GemmPool(3);

    static Stream<Arguments> shapes() {
        int[][] sizes = {
            {1, 1, 1}, {3, 3, 3}, {17, 17, 17}, {33, 65, 129}, {65, 33, 17}, {129, 3, 65},
            {1, 65, 33}, {17, 129, 1}, {8, 48, 256}, {9, 49, 257}, {100, 10, 9}, {10, 100, 9},
            {1, 10, 600}, {130, 10, 300}, {4056 / 8, 32, 9}, {9, 32, 700}, {96, 97, 530},
            // The portable kernel's groups of four rows with 3 and 2 rows left and an odd k; C
            // computed transposed with rows between 64 and 128 long.
            {35, 200, 21}, {18, 140, 5}, {150, 100, 9}, {300, 127, 66},
        };
        return GemmCases.everyCombination(sizes);
    }

    @Test
    void theVectorKernelIsPresentWhereTheBuildRunsTests() {
        assertNotNull(GemmKernels.VECTOR, "tests run with --add-modules jdk.incubator.vector (see the parent pom)");
        assertEquals(GemmKernels.VECTOR.name(), Gemm.kernelName());
        assertTrue(Gemm.kernelName().startsWith("vector ("), Gemm.kernelName());
        assertEquals("portable", GemmKernels.PORTABLE.name());
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("shapes")
    void bothKernelsMatchAFloat64Product(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        Random r = new Random(101L * m + 13L * n + k + (transA ? 7 : 0) + (transB ? 11 : 0));
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c0 = GemmCases.random(r, m * n);
        for (GemmKernel kernel : kernels()) {
            float[] c = c0.clone();
            Gemm.compute(kernel, null, transA, transB, m, n, k, a, b, c, accumulate);
            GemmCases.check(kernel.name() + " kernel: ", transA, transB, m, n, k, a, b, c0, c, accumulate);
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("shapes")
    void bothKernelsGiveTheSameBitsOnAnyNumberOfThreads(boolean transA, boolean transB, int m, int n, int k,
            boolean accumulate) {
        Random r = new Random(7L * m + 5L * n + 3L * k);
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c = GemmCases.random(r, m * n);
        for (GemmKernel kernel : kernels()) {
            float[] alone = c.clone();
            Gemm.compute(kernel, null, transA, transB, m, n, k, a, b, alone, accumulate);
            float[] shared = c.clone();
            Gemm.compute(kernel, POOL, transA, transB, m, n, k, a, b, shared, accumulate);
            assertEquals(Arrays.toString(alone), Arrays.toString(shared), kernel.name());
        }
    }

    /**
     * Products whose shared plan splits the columns between the threads, each chunk over all of k
     * in pieces (a batch of 128 rows: {@link VectorKernel#plan}), and ones split by rows, one slice
     * of k at a time; the vector kernel's every element must be the sequential chain of float
     * fused multiply-adds over k in order, from C's value or zero, whatever the split, the
     * pieces of k, the thread or the edge tile: an independent reference for its bits.
     */
    static Stream<Arguments> splitShapes() {
        int[][] sizes = {{128, 192, 600}, {125, 240, 257}, {96, 528, 300}, {120, 97, 530}, {300, 127, 66}, {16, 48, 1100}};
        return GemmCases.everyCombination(sizes);
    }

    /**
     * The MLP's products at a batch of 128, and the first three split shapes above, are the ones
     * the vector kernel's plan splits by columns where a product is shared (the other split shapes
     * are not), so that the chain test above covers both plans.
     */
    @Test
    void productsWithOneRowBlockAreSplitByColumns() {
        Assumptions.assumeTrue(Gemm.THREADS > 1, "the column split is for shared products");
        int[][] split = {{128, 512, 784}, {128, 784, 512}, {128, 512, 512}, {128, 192, 600}, {125, 240, 257}, {96, 528, 300}};
        for (int[] s : split) {
            for (boolean transB : new boolean[] {false, true}) {
                GemmJob job = new GemmJob();
                job.set(GemmKernels.VECTOR, false, transB, s[0], s[1], s[2], null, null, null, false, false);
                String shape = s[0] + "x" + s[1] + "x" + s[2] + (transB ? ":NT" : ":NN");
                assertEquals(1, job.rowBlocks, shape);
                assertEquals(s[2], job.kmax, shape);
                assertEquals(VectorTiles.NR, job.nc, shape);
                assertFalse(GemmKernels.VECTOR.transposes(s[0], s[1]), shape);
            }
        }
        // and not the heads' dL/dx with k = the classes: one tile column a chunk is too little work there
        for (int[] s : new int[][] {{120, 97, 530}, {300, 127, 66}, {16, 48, 1100}, {512, 512, 512}, {64, 18432, 10},
                {128, 1600, 10}}) {
            GemmJob job = new GemmJob();
            job.set(GemmKernels.VECTOR, false, false, s[0], s[1], s[2], null, null, null, false, false);
            assertEquals(VectorKernel.KC, job.kmax, s[0] + "x" + s[1] + "x" + s[2]);
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("splitShapes")
    void theVectorKernelSumsEachElementAsOneChainOfFusedMultiplyAdds(boolean transA, boolean transB, int m, int n,
            int k, boolean accumulate) {
        Random r = new Random(31L * m + 7L * n + k);
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c0 = GemmCases.random(r, m * n);
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c0[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(transA ? a[p * m + i] : a[i * k + p], transB ? b[j * k + p] : b[p * n + j], sum);
                }
                expected[i * n + j] = sum;
            }
        }
        for (GemmPool pool : new GemmPool[] {null, POOL}) {
            float[] c = c0.clone();
            Gemm.compute(GemmKernels.VECTOR, pool, transA, transB, m, n, k, a, b, c, accumulate);
            assertEquals(Arrays.toString(expected), Arrays.toString(c), pool == null ? "one thread" : "three threads");
        }
    }

    /** The check itself must catch a wrong product: one value changed fails it. */
    @Test
    void theCheckFailsOnAWrongValue() {
        Random r = new Random(1);
        int m = 17, n = 33, k = 65;
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c = new float[m * n];
        Gemm.compute(GemmKernels.VECTOR, null, false, false, m, n, k, a, b, c, false);
        c[5 * n + 7] += 1e-3f;
        try {
            GemmCases.check("vector kernel: ", false, false, m, n, k, a, b, new float[m * n], c, false);
        } catch (AssertionError expected) {
            return;
        }
        fail("a value off by 1e-3 passed the check");
    }

    private static GemmKernel[] kernels() {
        return new GemmKernel[] {GemmKernels.VECTOR, GemmKernels.PORTABLE};
    }
}
