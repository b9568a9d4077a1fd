package dev.tapgrad.runtime.kernel;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Single-precision matrix product {@code C (+)= op(A) · op(B)} over row-major arrays, the one
 * GEMM entry point behind Dense and Conv2D (EJML for now, so a faster kernel can replace it here
 * alone).
 */
public final class Gemm {
    private Gemm() {}

    /**
     * {@code C = op(A) · op(B)}, or {@code C += op(A) · op(B)} when {@code accumulate}.
     *
     * <p>Shapes (row-major): {@code op(A)} is (m, k), so {@code a} holds an (m, k) matrix, or a
     * (k, m) one when {@code transA}; {@code op(B)} is (k, n), so {@code b} holds (k, n), or (n, k)
     * when {@code transB}; {@code c} is (m, n). Each array may be longer than its matrix (a
     * scratch buffer sized for a larger batch); only the leading values are read or written.
     * The arrays are wrapped, not copied, and nothing of size m, n or k is allocated.
     *
     * @throws IllegalArgumentException if a dimension is negative, an array is too short for its
     *     matrix, or {@code c} is the same array as {@code a} or {@code b}
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
            float[] a, float[] b, float[] c, boolean accumulate) {
        // The message is built only on failure: this runs once per layer per step.
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative dimension in " + describe(transA, transB, m, n, k));
        }
        checkLength("A", a, m, k, transA, transB, m, n, k);
        checkLength("B", b, k, n, transA, transB, m, n, k);
        checkLength("C", c, m, n, transA, transB, m, n, k);
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C must not be the same array as " + (c == a ? "A" : "B")
                    + " (" + describe(transA, transB, m, n, k) + "); write the product into a separate buffer");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // An empty inner dimension sums nothing; EJML's kernels are not written for it.
            if (!accumulate) {
                Arrays.fill(c, 0, m * n, 0f);
            }
            return;
        }
        FMatrixRMaj ma = transA ? FMatrixRMaj.wrap(k, m, a) : FMatrixRMaj.wrap(m, k, a);
        FMatrixRMaj mb = transB ? FMatrixRMaj.wrap(n, k, b) : FMatrixRMaj.wrap(k, n, b);
        FMatrixRMaj mc = FMatrixRMaj.wrap(m, n, c);
        if (accumulate) {
            if (transA && transB) {
                CommonOps_FDRM.multAddTransAB(ma, mb, mc);
            } else if (transA) {
                CommonOps_FDRM.multAddTransA(ma, mb, mc);
            } else if (transB) {
                CommonOps_FDRM.multAddTransB(ma, mb, mc);
            } else {
                CommonOps_FDRM.multAdd(ma, mb, mc);
            }
        } else {
            if (transA && transB) {
                CommonOps_FDRM.multTransAB(ma, mb, mc);
            } else if (transA) {
                CommonOps_FDRM.multTransA(ma, mb, mc);
            } else if (transB) {
                CommonOps_FDRM.multTransB(ma, mb, mc);
            } else {
                CommonOps_FDRM.mult(ma, mb, mc);
            }
        }
    }

    private static void checkLength(String name, float[] array, int rows, int cols,
            boolean transA, boolean transB, int m, int n, int k) {
        if (array == null) {
            throw new IllegalArgumentException("gemm: " + name + " is null (" + describe(transA, transB, m, n, k) + ")");
        }
        long needed = (long) rows * cols;
        if (array.length < needed) {
            throw new IllegalArgumentException("gemm: " + name + " has " + array.length + " values but needs "
                    + needed + " (" + describe(transA, transB, m, n, k) + ")");
        }
    }

    private static String describe(boolean transA, boolean transB, int m, int n, int k) {
        return "A " + (transA ? "(" + k + ", " + m + ")^T" : "(" + m + ", " + k + ")")
                + " · B " + (transB ? "(" + n + ", " + k + ")^T" : "(" + k + ", " + n + ")")
                + " -> C (" + m + ", " + n + ")";
    }
}
