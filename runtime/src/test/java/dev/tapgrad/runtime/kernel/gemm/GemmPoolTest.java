package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tapgrad.runtime.kernel.parallel.HeldHelpers;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import org.junit.jupiter.api.Test;

/** The GEMM's sharing through a {@link ParallelFor} pool, including a pool that another thread holds. */
class GemmPoolTest {
    private static final int M = 96;
    private static final int N = 80;
    private static final int K = 72;

    @Test
    void aSliceTheHeldHelpersCannotTakeIsComputedByTheCaller() throws Throwable {
        ParallelFor helpers = ParallelFor.withThreads(2);
        GemmPool pool = new GemmPool(helpers);
        HeldHelpers.whileHeld(body -> helpers.tryShare(2, 1, body), () -> checkProduct(pool));
        checkProduct(pool); // and shared again once the helpers are free
    }

    @Test
    void aProductWhileAnotherThreadsLoopHoldsTheSharedHelpersIsComputedByItsCaller() throws Throwable {
        // Products share the layer passes' helpers: a product made while another thread's loop
        // holds them (a second model training in the same JVM) must still come out right.
        HeldHelpers.whileHeld(body -> ParallelFor.run(2, 1, body), () -> checkProduct(Gemm.pool()));
    }

    @Test
    void productsShareTheLayerPassesHelpersAndStartNoThreadsOfTheirOwn() {
        float[] a = new float[256 * 256];
        float[] b = new float[256 * 256];
        float[] c = new float[256 * 256];
        Gemm.gemm(false, false, 256, 256, 256, a, b, c, false); // large enough to be shared
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("tapgrad-gemm"), "a GEMM pool of its own: " + t.getName());
        }
    }

    @Test
    void aPoolOfItsOwnWithMoreThreadsThanCoresGivesTheProduct() {
        checkProduct(new GemmPool(3));
    }

    private static void checkProduct(GemmPool pool) {
        float[] a = new float[M * K];
        float[] b = new float[K * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) - 3;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) - 2;
        }
        for (GemmKernel kernel : new GemmKernel[] {GemmKernels.PORTABLE, GemmKernels.ACTIVE}) {
            float[] c = new float[M * N];
            Gemm.compute(kernel, pool, false, false, M, N, K, a, b, c, false);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double want = 0;
                    for (int p = 0; p < K; p++) {
                        want += a[i * K + p] * b[p * N + j];
                    }
                    // small integers: every partial sum is exact in float
                    assertEquals(want, c[i * N + j], 0.0, kernel.name() + " element (" + i + ", " + j + ")");
                }
            }
        }
    }
}
