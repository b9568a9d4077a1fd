package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SmallGemm}, the recurrent layers' per-step product: shapes that exercise every block of
 * the vector path (four-row and single-row blocks, three-vector and one-vector columns, the scalar
 * column tail) against a float64 product, with a bound derived from k (Higham's γ_k for a dot
 * product of length k, with |A|·|B|); overwrite and accumulate; values past each matrix untouched;
 * and the same bits whichever rows a block holds (a row's result does not depend on m).
 */
class SmallGemmTest {
    private static final int EXTRA = 11;

    @Test
    void theVectorPathRunsWhereTheVectorGemmKernelDoes() {
        assertEquals(GemmKernels.VECTOR != null ? "vector" : "gemm", SmallGemm.pathName());
    }

    @Test
    void productsMatchAFloat64ReferenceForEveryBlockShape() {
        Random r = new Random(7);
        int[][] shapes = {{16, 192, 64}, {16, 64, 192}, {5, 96, 32}, {1, 1, 1}, {7, 50, 13}, {9, 17, 3}, {3, 200, 100},
            {4, 48, 1}, {13, 256, 64}};
        for (int[] s : shapes) {
            for (boolean acc : new boolean[] {false, true}) {
                check(r, s[0], s[1], s[2], acc);
            }
        }
    }

    @Test
    void aRowsBitsDoNotDependOnTheOtherRows() {
        Random r = new Random(3);
        int n = 100;
        int k = 40;
        float[] a = fill(r, 9 * k);
        float[] b = fill(r, k * n);
        float[] all = new float[9 * n];
        SmallGemm.product(9, n, k, a, b, all, false);
        float[] one = new float[n];
        float[] lastRow = new float[k];
        System.arraycopy(a, 8 * k, lastRow, 0, k);
        SmallGemm.product(1, n, k, lastRow, b, one, false);
        for (int j = 0; j < n; j++) {
            assertEquals(Float.floatToIntBits(all[8 * n + j]), Float.floatToIntBits(one[j]), "column " + j);
        }
    }

    private static void check(Random r, int m, int n, int k, boolean accumulate) {
        float[] a = fill(r, m * k + EXTRA);
        float[] b = fill(r, k * n + EXTRA);
        float[] c = fill(r, m * n + EXTRA);
        float[] c0 = c.clone();
        SmallGemm.product(m, n, k, a, b, c, accumulate);
        double gamma = k * Math.ulp(1f) / 2 / (1 - k * Math.ulp(1f) / 2);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = accumulate ? c0[i * n + j] : 0;
                double abs = Math.abs(want);
                for (int p = 0; p < k; p++) {
                    want += (double) a[i * k + p] * b[p * n + j];
                    abs += Math.abs((double) a[i * k + p] * b[p * n + j]);
                }
                double bound = (gamma + Math.ulp(1f)) * abs + Float.MIN_NORMAL;
                String where = m + "x" + n + "x" + k + (accumulate ? " accumulate" : "") + " at (" + i + ", " + j + ")";
                assertTrue(Math.abs(c[i * n + j] - want) <= bound,
                        where + ": " + c[i * n + j] + " against " + want + ", bound " + bound);
            }
        }
        for (int q = m * n; q < c.length; q++) {
            assertEquals(c0[q], c[q], "past C at " + q);
        }
    }

    private static float[] fill(Random r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextGaussian());
        }
        return v;
    }
}
