package dev.tapgrad.runtime.kernel.gemm;

/**
 * C (m, n) = [C +] A (m, k) · B (k, n) for the small products a recurrent layer runs once per
 * time step (a part of the batch times the recurrent kernel, 16 × 64 · 64 × 192 in the issue-17
 * GRU): every matrix row-major and dense, B read in place. {@link Gemm#gemm} packs B into panels
 * on every call, which for a product this small costs about as much as the product itself, and
 * the recurrence calls it 80 times a step with the same B; here the vector path streams B's rows
 * straight from the array (it stays in the L2 cache across steps). Where the Vector API kernel
 * cannot run this is {@link Gemm#gemm}.
 *
 * <p>Each element sums its k in order onto C's value (or zero), whichever block computed it, so
 * results are deterministic and do not depend on the shape of the batch's parts.
 */
public final class SmallGemm {
    /** What a path provides; the vector one is loaded by name only where the module is present. */
    interface Impl {
        void product(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate);
    }

    private static final Impl ACTIVE = load();

    private SmallGemm() {}

    /**
     * {@code c = [c +] a · b} with a (m, k), b (k, n), c (m, n), all row-major from index 0; the
     * arrays may be longer. The caller checks the lengths (this runs once per step and part).
     */
    public static void product(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        ACTIVE.product(m, n, k, a, b, c, accumulate);
    }

    /** Which path runs: "vector" or "gemm". */
    public static String pathName() {
        return ACTIVE instanceof Fallback ? "gemm" : "vector";
    }

    private static Impl load() {
        if (GemmKernels.VECTOR == null) {
            return new Fallback();
        }
        try {
            return (Impl) Class.forName("dev.tapgrad.runtime.kernel.gemm.VectorSmallGemm").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new Fallback();
        }
    }

    /** The portable path: the general GEMM. */
    static final class Fallback implements Impl {
        @Override
        public void product(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
            Gemm.gemm(false, false, m, n, k, a, b, c, accumulate);
        }
    }
}
