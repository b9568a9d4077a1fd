package dev.tapgrad.runtime.kernel.gemm;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The GEMM kernel tests' parameters, random operands and float64 check. */
final class GemmCases {
    private GemmCases() {}

    /** {@code (transA, transB, m, n, k, accumulate)} for each {@code {m, n, k}} of {@code sizes}. */
    static Stream<Arguments> everyCombination(int[][] sizes) {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : sizes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        b.add(Arguments.of(ta, tb, s[0], s[1], s[2], acc));
                    }
                }
            }
        }
        return b.build();
    }

    /**
     * Each value of C (m, n) against the float64 sum, within the bound of a float32 sum of k + 1
     * terms in any order: (k + 2) · 2^-24 · Σ|terms| (plus a hair for the final rounding).
     */
    static void check(String label, boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b,
            float[] c0, float[] c, boolean accumulate) {
        double unit = 0x1p-24;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c0[i * n + j] : 0;
                double scale = Math.abs(sum);
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                    scale += Math.abs(av * bv);
                }
                double bound = (k + 2) * unit * scale + Float.MIN_NORMAL;
                double got = c[i * n + j];
                if (!(Math.abs(got - sum) <= bound)) {
                    throw new AssertionError(label + "C[" + i + "," + j + "] = " + got + ", float64 gives " + sum
                            + " (bound " + bound + ")");
                }
            }
        }
    }

    /** n standard normal floats. */
    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
