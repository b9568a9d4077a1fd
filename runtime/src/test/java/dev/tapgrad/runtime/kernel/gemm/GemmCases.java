package dev.tapgrad.runtime.kernel.gemm;

import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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
        Reference ref = reference(transA, transB, m, n, k, a, b, c0, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = ref.product()[i * n + j];
                double bound = (k + 2) * unit * ref.magnitude()[i * n + j] + Float.MIN_NORMAL;
                double got = c[i * n + j];
                if (!(Math.abs(got - sum) <= bound)) {
                    throw new AssertionError(label + "C[" + i + "," + j + "] = " + got + ", float64 gives " + sum
                            + " (bound " + bound + ")");
                }
            }
        }
    }

    /**
     * The float64 reference of a GEMM, row-major (m, n): {@code product} = op(A)·op(B) (+ C0 when
     * accumulating) and {@code magnitude} = |op(A)|·|op(B)| (+ |C0|), the sum of the terms' absolute
     * values that bounds a float32 sum's rounding. Both by EJML, not by a loop of our own.
     */
    record Reference(double[] product, double[] magnitude) {}

    static Reference reference(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b,
            float[] c0, boolean accumulate) {
        // A is stored (m, k), or (k, m) when transposed; B (k, n) or (n, k).
        DMatrixRMaj ma = matrix(transA ? k : m, transA ? m : k, a, false);
        DMatrixRMaj mb = matrix(transB ? n : k, transB ? k : n, b, false);
        DMatrixRMaj absA = matrix(ma.numRows, ma.numCols, a, true);
        DMatrixRMaj absB = matrix(mb.numRows, mb.numCols, b, true);
        DMatrixRMaj product = accumulate ? matrix(m, n, c0, false) : new DMatrixRMaj(m, n);
        DMatrixRMaj magnitude = accumulate ? matrix(m, n, c0, true) : new DMatrixRMaj(m, n);
        multAdd(transA, transB, ma, mb, product);
        multAdd(transA, transB, absA, absB, magnitude);
        return new Reference(product.data, magnitude.data);
    }

    /** c += op(a)·op(b). */
    private static void multAdd(boolean transA, boolean transB, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (transA && transB) {
            CommonOps_DDRM.multAddTransAB(a, b, c);
        } else if (transA) {
            CommonOps_DDRM.multAddTransA(a, b, c);
        } else if (transB) {
            CommonOps_DDRM.multAddTransB(a, b, c);
        } else {
            CommonOps_DDRM.multAdd(a, b, c);
        }
    }

    /** The leading rows·cols floats of {@code v} as a row-major float64 matrix (absolute values if asked). */
    private static DMatrixRMaj matrix(int rows, int cols, float[] v, boolean abs) {
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            out.data[i] = abs ? Math.abs(v[i]) : v[i];
        }
        return out;
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
