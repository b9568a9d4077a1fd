package dev.tapgrad.runtime.kernel.gemm;

import dev.tapgrad.runtime.kernel.Platform;

/**
 * The GEMM's inner loops: rows of C updated as {@code c[j] += a0·b0[j] + … } over {@code j < n},
 * with the a's scalars and the b's rows of a packed panel; four rows by two k (three on JDK 25)
 * where the chunk has four rows left, one row by four k for the rest.
 *
 * <p>Written for HotSpot C2's auto-vectoriser (JDK 17 and later), whose rules decide the shape:
 * it vectorises the innermost loop of a small body only, and among accesses of one element type it
 * accepts only those whose offsets it can prove equally aligned, so every array here is indexed by
 * {@code j} itself (no offsets; the caller packs B's rows and C's rows into arrays of their own).
 * JDK 17 vectorises 4 rows × 2 k, 3 × 2, 2 × 2 and 1 × 4 to 1 × 6, but leaves 4 × 3, 2 × 3,
 * 2 × 4 and 8 × 1 scalar; JDK 25 takes 4 × 3 too. With FMA hardware every k is one
 * {@link Math#fma}, which vectorises to fused multiply-adds, so each element is summed in k order
 * with one rounding per k whichever loop ran; without it (where {@code Math.fma} would run in
 * software) the sums are plain multiply-adds.
 */
final class RowKernels {
    /** Whether {@code Math.fma} is a hardware instruction here (HotSpot's UseFMA); false when unknown. */
    static final boolean FMA = Platform.FMA;

    /**
     * Whether {@link #update4x3} is used: only with FMA (so the bits are the same as with
     * {@link #update4x2}: one rounding per k either way) and on JDK 25 and later, whose C2
     * vectorises its body; JDK 17's leaves it scalar, five times slower. Measured on AVX-512,
     * aligned rows of 512: 1.25× {@link #update4x2} on JDK 25. (JDK 18 to 24 were not measured.)
     */
    static final boolean THREE_K = FMA && Runtime.version().feature() >= 25;

    /**
     * Rows at least this long run on the {@code …Long} copies of the FMA loops, shorter ones on the
     * {@code …Short} copies: the same code, but each copy has a profile of its own. Why: C2 unrolls
     * (and so vectorises) a loop no further than the trip count its profile saw, and a loop's profile
     * is the method's, shared by every caller in the JVM and frozen once C2 has compiled it. With one
     * copy, a model with short rows trained first (the seed CNN's rows of 32) left the GEMM compiled
     * for 32-long rows, and a 512-wide MLP trained after it in the same JVM ran at 0.5-0.65 of its
     * speed alone (StepBench cnn32 mlp128, portable, measured). A boundary of 128 keeps the long copy's
     * average trip count above what its widest unrolling needs (4 × 16 lanes).
     */
    static final int LONG = 128;

    private RowKernels() {}

    /**
     * Four rows of C, two k: {@code cr[j] += ar0·b0[j] + ar1·b1[j]} for r = 0 … 3. Each b value
     * loaded serves four rows, so a multiply-add costs 0.75 loads and 0.5 stores instead of 1.25
     * and 0.25 in {@link #update4}, whose single row leaves the loads the bottleneck; measured on
     * AVX-512, JDK 17, rows of 512: 1.4× {@link #update4}. The largest body JDK 17's C2 still
     * vectorises: 4 rows × 3 k, 2 × 3, 2 × 4 and 8 × 1 stay scalar (JDK 25 takes them).
     */
    static void update4x2(int n, float a00, float a01, float a10, float a11, float a20, float a21, float a30, float a31,
            float[] b0, float[] b1, float[] c0, float[] c1, float[] c2, float[] c3) {
        if (FMA && n >= LONG) {
            fma4x2Long(n, a00, a01, a10, a11, a20, a21, a30, a31, b0, b1, c0, c1, c2, c3);
        } else if (FMA) {
            fma4x2Short(n, a00, a01, a10, a11, a20, a21, a30, a31, b0, b1, c0, c1, c2, c3);
        } else {
            for (int j = 0; j < n; j++) {
                float x0 = b0[j];
                float x1 = b1[j];
                c0[j] += a00 * x0 + a01 * x1;
                c1[j] += a10 * x0 + a11 * x1;
                c2[j] += a20 * x0 + a21 * x1;
                c3[j] += a30 * x0 + a31 * x1;
            }
        }
    }

    /** {@link #update4x2}'s FMA loop for rows of at least {@link #LONG}. */
    private static void fma4x2Long(int n, float a00, float a01, float a10, float a11, float a20, float a21, float a30,
            float a31, float[] b0, float[] b1, float[] c0, float[] c1, float[] c2, float[] c3) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j];
            float x1 = b1[j];
            c0[j] = Math.fma(a01, x1, Math.fma(a00, x0, c0[j]));
            c1[j] = Math.fma(a11, x1, Math.fma(a10, x0, c1[j]));
            c2[j] = Math.fma(a21, x1, Math.fma(a20, x0, c2[j]));
            c3[j] = Math.fma(a31, x1, Math.fma(a30, x0, c3[j]));
        }
    }

    /** {@link #update4x2}'s FMA loop for rows shorter than {@link #LONG}: the same code with a profile of its own. */
    private static void fma4x2Short(int n, float a00, float a01, float a10, float a11, float a20, float a21, float a30,
            float a31, float[] b0, float[] b1, float[] c0, float[] c1, float[] c2, float[] c3) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j];
            float x1 = b1[j];
            c0[j] = Math.fma(a01, x1, Math.fma(a00, x0, c0[j]));
            c1[j] = Math.fma(a11, x1, Math.fma(a10, x0, c1[j]));
            c2[j] = Math.fma(a21, x1, Math.fma(a20, x0, c2[j]));
            c3[j] = Math.fma(a31, x1, Math.fma(a30, x0, c3[j]));
        }
    }

    /** Four rows of C, three k: {@link #update4x2} with a third of a load fewer per multiply-add; see {@link #THREE_K}. */
    static void update4x3(int n, float a00, float a01, float a02, float a10, float a11, float a12,
            float a20, float a21, float a22, float a30, float a31, float a32,
            float[] b0, float[] b1, float[] b2, float[] c0, float[] c1, float[] c2, float[] c3) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j];
            float x1 = b1[j];
            float x2 = b2[j];
            c0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j])));
            c1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j])));
            c2[j] = Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j])));
            c3[j] = Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, c3[j])));
        }
    }

    /** Four rows of C, one k: the odd k left by {@link #update4x2}. */
    static void update4x1(int n, float a0, float a1, float a2, float a3, float[] b0,
            float[] c0, float[] c1, float[] c2, float[] c3) {
        if (FMA && n >= LONG) {
            fma4x1Long(n, a0, a1, a2, a3, b0, c0, c1, c2, c3);
        } else if (FMA) {
            fma4x1Short(n, a0, a1, a2, a3, b0, c0, c1, c2, c3);
        } else {
            for (int j = 0; j < n; j++) {
                float x0 = b0[j];
                c0[j] += a0 * x0;
                c1[j] += a1 * x0;
                c2[j] += a2 * x0;
                c3[j] += a3 * x0;
            }
        }
    }

    /** {@link #update4x1}'s FMA loop for rows of at least {@link #LONG}. */
    private static void fma4x1Long(int n, float a0, float a1, float a2, float a3, float[] b0, float[] c0, float[] c1,
            float[] c2, float[] c3) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j];
            c0[j] = Math.fma(a0, x0, c0[j]);
            c1[j] = Math.fma(a1, x0, c1[j]);
            c2[j] = Math.fma(a2, x0, c2[j]);
            c3[j] = Math.fma(a3, x0, c3[j]);
        }
    }

    /** {@link #update4x1}'s FMA loop for shorter rows: the same code with a profile of its own. */
    private static void fma4x1Short(int n, float a0, float a1, float a2, float a3, float[] b0, float[] c0, float[] c1,
            float[] c2, float[] c3) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j];
            c0[j] = Math.fma(a0, x0, c0[j]);
            c1[j] = Math.fma(a1, x0, c1[j]);
            c2[j] = Math.fma(a2, x0, c2[j]);
            c3[j] = Math.fma(a3, x0, c3[j]);
        }
    }

    /** One row of C, four k: {@code c[j] += a0·b0[j] + … + a3·b3[j]}, for a chunk's last rows. */
    static void update4(int n, float a0, float a1, float a2, float a3,
            float[] b0, float[] b1, float[] b2, float[] b3, float[] c) {
        if (FMA && n >= LONG) {
            fma4Long(n, a0, a1, a2, a3, b0, b1, b2, b3, c);
        } else if (FMA) {
            fma4Short(n, a0, a1, a2, a3, b0, b1, b2, b3, c);
        } else {
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
    }

    /** {@link #update4}'s FMA loop for rows of at least {@link #LONG}. */
    private static void fma4Long(int n, float a0, float a1, float a2, float a3, float[] b0, float[] b1, float[] b2,
            float[] b3, float[] c) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
        }
    }

    /** {@link #update4}'s FMA loop for shorter rows: the same code with a profile of its own. */
    private static void fma4Short(int n, float a0, float a1, float a2, float a3, float[] b0, float[] b1, float[] b2,
            float[] b3, float[] c) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
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
