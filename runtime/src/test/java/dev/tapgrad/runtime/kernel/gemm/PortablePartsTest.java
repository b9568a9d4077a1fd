package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The portable kernel's parts of k ({@link PortableKernel#plan}): a product whose P is one chunk
 * but whose k is longer than a slice (a 10-class head's forward over a flattened image) is cut
 * into parts of {@link GemmBlock#KMAX}, each a chunk, so that threads can share it. The reference
 * is written out independently: each part an ordered chain of {@code Math.fma} from zero over its
 * k, the parts added in part order, then C's value added first when accumulating; the same bits
 * on one thread and on a pool of three.
 */
class PortablePartsTest {
    private static final GemmPool POOL = new GemmPool(3);

    static Stream<Arguments> shapes() {
        // (m, n, k): the CNN head's forward at a small batch (computed as Cᵀ, 10 × 32), a P that is
        // not transposed (10 × 16), a last part shorter than the others, and k just past one slice.
        return GemmCases.everyCombination(new int[][] {{32, 10, 2000}, {10, 16, 1100}, {12, 3, 1537}, {5, 5, 513}});
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} accumulate={5}")
    @MethodSource("shapes")
    void partsAreOrderedChainsAddedInPartOrder(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        assumeTrue(RowKernels.FMA, "same bits only where Math.fma is hardware");
        Random r = new Random(11L * m + 7L * n + k + (transA ? 3 : 0) + (transB ? 5 : 0));
        float[] a = GemmCases.random(r, m * k);
        float[] b = GemmCases.random(r, k * n);
        float[] c0 = GemmCases.random(r, m * n);
        float[] expected = new float[m * n];
        int part = GemmBlock.KMAX;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float total = 0f;
                for (int p0 = 0; p0 < k; p0 += part) {
                    float chain = 0f;
                    for (int p = p0; p < Math.min(k, p0 + part); p++) {
                        chain = Math.fma(transA ? a[p * m + i] : a[i * k + p], transB ? b[j * k + p] : b[p * n + j], chain);
                    }
                    total = p0 == 0 ? chain : total + chain;
                }
                expected[i * n + j] = accumulate ? c0[i * n + j] + total : total;
            }
        }
        for (GemmPool pool : new GemmPool[] {null, POOL}) {
            float[] c = c0.clone();
            Gemm.compute(GemmKernels.PORTABLE, pool, transA, transB, m, n, k, a, b, c, accumulate);
            assertEquals(Arrays.toString(expected), Arrays.toString(c), pool == null ? "one thread" : "three threads");
        }
    }

    /** Which products are cut: one chunk of P and k past a slice, and nothing else. */
    @Test
    void onlyProductsOfOneChunkWithALongKAreCut() {
        int[][] cut = {{10, 32, 21632}, {10, 64, 18432}, {10, 128, 1600}, {16, 1024, 513}};
        int[][] kept = {{10, 128, 512}, {17, 32, 21632}, {10, 1025, 600}, {512, 512, 512}};
        for (int[] s : cut) {
            GemmJob job = new GemmJob();
            job.set(GemmKernels.PORTABLE, false, false, s[0], s[1], s[2], null, null, null, false, false);
            assertEquals((s[2] + GemmBlock.KMAX - 1) / GemmBlock.KMAX, job.kParts, Arrays.toString(s));
            assertEquals(s[2], job.kmax, Arrays.toString(s));
            assertEquals(job.kParts, job.chunks, Arrays.toString(s));
        }
        for (int[] s : kept) {
            GemmJob job = new GemmJob();
            job.set(GemmKernels.PORTABLE, false, false, s[0], s[1], s[2], null, null, null, false, false);
            assertEquals(1, job.kParts, Arrays.toString(s));
            assertEquals(GemmBlock.KMAX, job.kmax, Arrays.toString(s));
        }
    }
}
