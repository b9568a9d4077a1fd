package dev.tapgrad.runtime.kernel.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RowGemm against its definition computed the plain way: each element a chain of Math.fma over k
 * in order from zero (or from c's value when accumulating), so on FMA hardware the same bits,
 * whatever the blocking (rows in fours and left over, stretches of k, products split along k).
 */
class RowGemmTest {
    @ParameterizedTest(name = "m={0} n={1} depth={2}")
    @CsvSource({"32, 622, 144", "16, 726, 288", "7, 9, 5", "576, 144, 32", "33, 150, 577", "4, 1, 1", "5, 20, 0",
        // Rows just below and at RowKernels.LONG: the short and the long copies of the row loops.
        "13, 127, 9", "13, 128, 9"})
    void matchesOrderedFmaSums(int m, int n, int depth) {
        assumeTrue(RowKernels.FMA, "same bits only where Math.fma is hardware");
        Random r = new Random(m * 31 + n);
        // A(i, k) = a[a0 + i·ai + k·ak], here k-major with an offset, as the kernel's transpose is read.
        int a0 = 3, ai = 1, ak = m;
        float[] a = random(r, a0 + m * depth + 1);
        float[][] b = RowGemm.rows(depth, n);
        for (float[] row : b) {
            fill(r, row, n);
        }
        float[][] c = RowGemm.rows(m, n);
        for (float[] row : c) {
            fill(r, row, n); // garbage that accumulate=false must overwrite
        }
        float[][] start = RowGemm.rows(m, n);
        for (float[] row : start) {
            fill(r, row, n);
        }
        RowGemm.multiply(m, n, depth, a, a0, ai, ak, b, c, false);
        float[][] acc = RowGemm.rows(m, n);
        int half = depth / 2;
        for (int i = 0; i < m; i++) {
            System.arraycopy(start[i], 0, acc[i], 0, n);
        }
        RowGemm.multiply(m, n, half, a, a0, ai, ak, b, acc, true);
        float[][] rest = new float[depth - half][];
        System.arraycopy(b, half, rest, 0, depth - half);
        RowGemm.multiply(m, n, depth - half, a, a0 + half * ak, ai, ak, rest, acc, true);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                float t = start[i][j];
                for (int k = 0; k < depth; k++) {
                    s = Math.fma(a[a0 + i * ai + k * ak], b[k][j], s);
                    t = Math.fma(a[a0 + i * ai + k * ak], b[k][j], t);
                }
                assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(c[i][j]), "c[" + i + "][" + j + "]");
                assertEquals(Float.floatToIntBits(t), Float.floatToIntBits(acc[i][j]),
                        "accumulated in two calls, c[" + i + "][" + j + "]");
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        fill(r, x, n);
        return x;
    }

    private static void fill(Random r, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
    }
}
