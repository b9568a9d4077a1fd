package dev.tapgrad.runtime.kernel.gemm;

import java.util.Arrays;

/**
 * The portable GEMM's row kernels ({@link RowKernels}) for callers that keep both the right operand
 * and the product as rows of their own: {@code c[i][0, n) (+)= Σ_k A(i, k) · b[k][0, n)} with
 * {@code A(i, k) = a[i·ai + k·ak]}. No packing and no copy of C: a convolution writes its patch
 * rows (or reads its kernel rows) straight into such arrays, where {@link GemmBlock} would pack a
 * panel from a strided matrix and store a transposed product back (at a convolution's shapes about
 * a fifth of the portable GEMM's time, measured on the two-conv CNN). Plain Java, on the calling
 * thread, allocation-free.
 *
 * <p>Blocked as {@link GemmBlock}: {@link GemmBlock#MB} rows of c at a time pass over L1-sized
 * stretches of b's rows, four rows by two k (three on JDK 25), the block's last rows one at a time.
 * Each element is summed in k order from zero (or from c when accumulating), one {@link Math#fma}
 * per k where FMA is hardware, so the bits are those of {@link Gemm#gemm} on the same operands.
 * Rows should come from {@link #rows}, which allocates them so that C2's vector loops find them
 * equally aligned.
 */
public final class RowGemm {
    private RowGemm() {}

    /**
     * {@code count} arrays of at least {@code n} floats, allocated back to back, each a multiple of 64
     * bytes long, so that they start at the same offset within a cache line (see {@link GemmBlock}'s ensure).
     */
    public static float[][] rows(int count, int n) {
        int length = (n + 15) / 16 * 16 + 12;
        float[][] r = new float[count][];
        for (int i = 0; i < count; i++) {
            r[i] = new float[length];
        }
        return r;
    }

    /**
     * For i &lt; m: {@code c[i][0, n) = Σ_{k < depth} a[a0 + i·ai + k·ak] · b[k][0, n)}, added to
     * c[i]'s values when {@code accumulate}; each element summed in k order (so a product split
     * along k into calls that accumulate has the bits of one call).
     */
    public static void multiply(int m, int n, int depth, float[] a, int a0, int ai, int ak, float[][] b, float[][] c,
            boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c[i], 0, n, 0f);
            }
        }
        if (n == 0 || depth == 0) {
            return;
        }
        // As many rows of b as fit the L1 budget, a multiple of the kernels' k (2 and 4, or 2 and 3), up to 64.
        int unit = RowKernels.THREE_K ? 6 : 4;
        int stretch = Math.max(unit, Math.min(64 / unit * unit, GemmBlock.L1_FLOATS / n / unit * unit));
        for (int ib = 0; ib < m; ib += GemmBlock.MB) {
            int ie = Math.min(m, ib + GemmBlock.MB);
            for (int kb = 0; kb < depth; kb += stretch) {
                int ke = Math.min(depth, kb + stretch);
                int i = ib;
                for (; i + 4 <= ie; i += 4) {
                    update4rows(n, a, a0, ai, ak, b, c, i, kb, ke);
                }
                for (; i < ie; i++) {
                    update(n, a, ak, b, c[i], a0 + i * ai, kb, ke);
                }
            }
        }
    }

    /** Rows i … i + 3 of c += A(i …, kb … ke) · b's rows kb … ke. */
    private static void update4rows(int n, float[] a, int a0, int ai, int ak, float[][] b, float[][] c, int i, int kb,
            int ke) {
        float[] t0 = c[i], t1 = c[i + 1], t2 = c[i + 2], t3 = c[i + 3];
        int at = a0 + i * ai + kb * ak;
        int kk = kb;
        if (RowKernels.THREE_K) {
            for (; kk + 3 <= ke; kk += 3, at += 3 * ak) {
                int at1 = at + ai, at2 = at1 + ai, at3 = at2 + ai;
                RowKernels.update4x3(n, a[at], a[at + ak], a[at + 2 * ak], a[at1], a[at1 + ak], a[at1 + 2 * ak],
                        a[at2], a[at2 + ak], a[at2 + 2 * ak], a[at3], a[at3 + ak], a[at3 + 2 * ak],
                        b[kk], b[kk + 1], b[kk + 2], t0, t1, t2, t3);
            }
        }
        for (; kk + 2 <= ke; kk += 2, at += 2 * ak) {
            int at1 = at + ai, at2 = at1 + ai, at3 = at2 + ai;
            RowKernels.update4x2(n, a[at], a[at + ak], a[at1], a[at1 + ak], a[at2], a[at2 + ak],
                    a[at3], a[at3 + ak], b[kk], b[kk + 1], t0, t1, t2, t3);
        }
        if (kk < ke) {
            RowKernels.update4x1(n, a[at], a[at + ai], a[at + 2 * ai], a[at + 3 * ai], b[kk], t0, t1, t2, t3);
        }
    }

    /** Row t of c (A's row at {@code row}) += A(i, kb … ke) · b's rows kb … ke. */
    private static void update(int n, float[] a, int ak, float[][] b, float[] t, int row, int kb, int ke) {
        int at = row + kb * ak;
        int kk = kb;
        for (; kk + 4 <= ke; kk += 4, at += 4 * ak) {
            RowKernels.update4(n, a[at], a[at + ak], a[at + 2 * ak], a[at + 3 * ak], b[kk], b[kk + 1], b[kk + 2],
                    b[kk + 3], t);
        }
        switch (ke - kk) {
            case 3 -> RowKernels.update3(n, a[at], a[at + ak], a[at + 2 * ak], b[kk], b[kk + 1], b[kk + 2], t);
            case 2 -> RowKernels.update2(n, a[at], a[at + ak], b[kk], b[kk + 1], t);
            case 1 -> RowKernels.update1(n, a[at], b[kk], t);
            default -> { }
        }
    }
}
