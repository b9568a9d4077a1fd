package dev.tapgrad.runtime.kernel.gemm;

import dev.tapgrad.runtime.kernel.Platform;

/**
 * The GEMM's inner loops: one row of C, as {@code c[j] += a0·b0[j] + … + a3·b3[j]} over
 * {@code j < n}, with the a's scalars and the b's rows of a packed panel.
 *
 * <p>Written for HotSpot C2's auto-vectoriser (JDK 17 and later), whose rules decide the shape:
 * it vectorises the innermost loop of a small body only, and among accesses of one element type it
 * accepts only those whose offsets it can prove equally aligned, so every array here is indexed by
 * {@code j} itself (no offsets; the caller packs B's rows and C's row into arrays of their own),
 * and four k at a time is the largest body it still unrolls and vectorises. With FMA hardware the
 * sums are {@link Math#fma} chains, which vectorise to fused multiply-adds; without it (where
 * {@code Math.fma} would run in software) they are plain multiply-adds.
 */
final class RowKernels {
    /** Whether {@code Math.fma} is a hardware instruction here (HotSpot's UseFMA); false when unknown. */
    static final boolean FMA = Platform.FMA;

    private RowKernels() {}

    static void update4(int n, float a0, float a1, float a2, float a3,
            float[] b0, float[] b1, float[] b2, float[] b3, float[] c) {
        if (FMA) {
            for (int j = 0; j < n; j++) {
                c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
    }

    static void update3(int n, float a0, float a1, float a2, float[] b0, float[] b1, float[] b2, float[] c) {
        if (FMA) {
            for (int j = 0; j < n; j++) {
                c[j] = Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j])));
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j];
            }
        }
    }

    static void update2(int n, float a0, float a1, float[] b0, float[] b1, float[] c) {
        if (FMA) {
            for (int j = 0; j < n; j++) {
                c[j] = Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]));
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j] + a1 * b1[j];
            }
        }
    }

    static void update1(int n, float a0, float[] b0, float[] c) {
        if (FMA) {
            for (int j = 0; j < n; j++) {
                c[j] = Math.fma(a0, b0[j], c[j]);
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j];
            }
        }
    }
}
