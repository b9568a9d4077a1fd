package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Broadcast;
import dev.tapgrad.runtime.internal.tensor.OpSupport;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.util.Arrays;

/**
 * Matrix and vector ops with their derivative rules: {@code transpose}, {@code matmul},
 * {@code l2Normalize} and {@code cosineSimilarity}, with Keras's formulas and constants.
 * Re-exported by {@code dev.tapgrad.runtime.Ops}.
 */
public final class LinearAlgebra {
    /** Keras's floor under the squared norm in {@code l2_normalize}. */
    private static final double L2_EPSILON = 1e-12;

    private LinearAlgebra() {}

    /** {@code x} with its last two axes swapped: {@code (..., m, n) → (..., n, m)}. */
    @Differentiable(adjoint = "transposeAdjoint", shape = ShapeRule.TRANSPOSE)
    public static Tensor transpose(Tensor x) {
        int[] shape = x.dims();
        int r = shape.length;
        if (r < 2) {
            throw new IllegalArgumentException("transpose swaps the last two axes, but shape " + Arrays.toString(shape)
                    + " has " + r + "; use expandDims first");
        }
        int m = shape[r - 2];
        int n = shape[r - 1];
        int[] outShape = Workspace.ints(r);
        System.arraycopy(shape, 0, outShape, 0, r);
        outShape[r - 2] = n;
        outShape[r - 1] = m;
        Tensor out = Workspace.uninitialized(outShape);
        float[] in = x.buffer();
        float[] o = out.buffer();
        int batches = m * n == 0 ? 0 : in.length / (m * n);
        for (int b = 0; b < batches; b++) {
            int off = b * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    o[off + j * m + i] = in[off + i * n + j];
                }
            }
        }
        return out;
    }

    /** Adjoint of {@link #transpose}: {@code g} transposed back. */
    public static Tensor transposeAdjoint(Tensor x, Tensor out, Tensor g) {
        return transpose(g);
    }

    /**
     * The matrix product {@code (m, k) · (k, n) → (m, n)}, or one per leading index for rank 3,
     * {@code (b, m, k) · (b, k, n) → (b, m, n)}.
     *
     * @throws IllegalArgumentException if the ranks are not both 2 or both 3, or the dimensions disagree
     */
    @Differentiable(adjoint = {"matmulAdjointA", "matmulAdjointB"}, shape = ShapeRule.MATMUL)
    public static Tensor matmul(Tensor a, Tensor b) {
        int[] s = dims(a, b);
        int[] shape = Workspace.ints(a.rank());
        shape[a.rank() - 2] = s[1];
        shape[a.rank() - 1] = s[3];
        if (a.rank() == 3) {
            shape[0] = s[0];
        }
        Tensor out = Workspace.zeros(shape);
        batched(false, false, s[0], s[1], s[3], s[2], a.buffer(), b.buffer(), out.buffer());
        return out;
    }

    /** Adjoint of {@link #matmul} with respect to {@code a}: {@code g · bᵀ}. */
    public static Tensor matmulAdjointA(Tensor a, Tensor b, Tensor out, Tensor g) {
        int[] s = dims(a, b);
        Tensor d = Workspace.zeros(a.dims());
        batched(false, true, s[0], s[1], s[2], s[3], g.buffer(), b.buffer(), d.buffer());
        return d;
    }

    /** Adjoint of {@link #matmul} with respect to {@code b}: {@code aᵀ · g}. */
    public static Tensor matmulAdjointB(Tensor a, Tensor b, Tensor out, Tensor g) {
        int[] s = dims(a, b);
        Tensor d = Workspace.zeros(b.dims());
        batched(true, false, s[0], s[2], s[3], s[1], a.buffer(), g.buffer(), d.buffer());
        return d;
    }

    /** {@code {batch, m, k, n}} of a product, checked. */
    private static int[] dims(Tensor a, Tensor b) {
        int r = a.rank();
        if (r != b.rank() || (r != 2 && r != 3)) {
            throw new IllegalArgumentException("matmul(" + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape())
                    + "): needs two rank-2 matrices (m, k)·(k, n) or two rank-3 batches (b, m, k)·(b, k, n)");
        }
        if (a.dim(-1) != b.dim(-2) || (r == 3 && a.dim(0) != b.dim(0))) {
            throw new IllegalArgumentException("matmul(" + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape())
                    + "): " + (a.dim(-1) != b.dim(-2)
                            ? "inner dimensions " + a.dim(-1) + " and " + b.dim(-2) + " differ"
                            : "batch dimensions " + a.dim(0) + " and " + b.dim(0) + " differ"));
        }
        int[] s = Workspace.ints(4);
        s[0] = r == 3 ? a.dim(0) : 1;
        s[1] = a.dim(-2);
        s[2] = a.dim(-1);
        s[3] = b.dim(-1);
        return s;
    }

    /** {@code c[i] = op(a[i]) · op(b[i])} for each of {@code batch} (m, k)·(k, n) products. */
    private static void batched(boolean transA, boolean transB, int batch, int m, int n, int k,
            float[] a, float[] b, float[] c) {
        if (batch == 1) {
            Gemm.gemm(transA, transB, m, n, k, a, b, c, false);
            return;
        }
        // Gemm reads from offset 0, so each slice goes through its own buffers.
        float[] sa = Workspace.floats(m * k);
        float[] sb = Workspace.floats(k * n);
        float[] sc = Workspace.floats(m * n);
        for (int i = 0; i < batch; i++) {
            System.arraycopy(a, i * m * k, sa, 0, m * k); // the scratch arrays may be longer than one slice
            System.arraycopy(b, i * k * n, sb, 0, k * n);
            Gemm.gemm(transA, transB, m, n, k, sa, sb, sc, false);
            System.arraycopy(sc, 0, c, i * m * n, m * n);
        }
    }

    // ---- along an axis ------------------------------------------------------------------------

    /**
     * Keras's {@code l2_normalize}: {@code x / √max(Σ x², 1e-12)} with the sum along {@code axis}
     * (kept), so a zero vector stays zero.
     */
    @Differentiable(adjoint = "l2NormalizeAdjoint", shape = ShapeRule.SAME_WITH_AXIS)
    public static Tensor l2Normalize(Tensor x, int axis) {
        Tensor norms = inverseNorms(x, axis);
        return Broadcast.apply(x, norms, (a, b) -> a * b);
    }

    /**
     * Adjoint of {@link #l2Normalize}: with {@code n = Σ x²} along the axis,
     * {@code g/√n − x·(Σ g·x)/n^{3/2}}, and {@code g/√1e-12} where {@code n ≤ 1e-12} (the floor is
     * then a constant).
     */
    public static Tensor l2NormalizeAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        int a = OpSupport.axis("l2Normalize", x.dims(), axis);
        int vOuter = OpSupport.outer(x.dims(), a);
        int vN = x.dims()[a];
        int vInner = OpSupport.inner(x.dims(), a);
        Tensor d = Workspace.zeros(x.dims());
        float[] xv = x.buffer();
        float[] gv = g.buffer();
        float[] dv = d.buffer();
        if (vInner == 1) {
            for (int o = 0; o < vOuter; o++) {
                l2NormalizeRow(xv, gv, dv, o * vN, vN);
            }
            return d;
        }
        for (int o = 0; o < vOuter; o++) {
            for (int i = 0; i < vInner; i++) {
                double n = 0;
                double gx = 0;
                for (int j = 0; j < vN; j++) {
                    int k = ((o * vN + j) * vInner + i);
                    n += (double) xv[k] * xv[k];
                    gx += (double) gv[k] * xv[k];
                }
                boolean floored = n <= L2_EPSILON;
                double inv = 1 / Math.sqrt(floored ? L2_EPSILON : n);
                for (int j = 0; j < vN; j++) {
                    int k = ((o * vN + j) * vInner + i);
                    dv[k] = (float) (floored ? gv[k] * inv : gv[k] * inv - xv[k] * gx * inv * inv * inv);
                }
            }
        }
        return d;
    }

    /**
     * The adjoint along one contiguous row {@code [off, off + len)} (the last axis, the usual
     * case): the strided loops' sums and products in their order, so the same bits, without the
     * index arithmetic per value that kept C2 from compiling the loops tightly.
     */
    private static void l2NormalizeRow(float[] xv, float[] gv, float[] dv, int off, int len) {
        double n = 0;
        double gx = 0;
        for (int k = off; k < off + len; k++) {
            double xk = xv[k];
            n += xk * xk;
            gx += gv[k] * xk;
        }
        if (n <= L2_EPSILON) {
            double inv = 1 / Math.sqrt(L2_EPSILON);
            for (int k = off; k < off + len; k++) {
                dv[k] = (float) (gv[k] * inv);
            }
            return;
        }
        double inv = 1 / Math.sqrt(n);
        for (int k = off; k < off + len; k++) {
            dv[k] = (float) (gv[k] * inv - xv[k] * gx * inv * inv * inv);
        }
    }

    /** {@code 1/√max(Σ x², 1e-12)} along {@code axis}, kept with size 1. */
    private static Tensor inverseNorms(Tensor x, int axis) {
        int a = OpSupport.axis("l2Normalize", x.dims(), axis);
        int vOuter = OpSupport.outer(x.dims(), a);
        int vN = x.dims()[a];
        int vInner = OpSupport.inner(x.dims(), a);
        Tensor out = Workspace.zeros(OpSupport.reducedShape(x.dims(), a, true));
        float[] xv = x.buffer();
        float[] o = out.buffer();
        for (int b = 0; b < vOuter; b++) {
            for (int i = 0; i < vInner; i++) {
                double n = 0;
                for (int j = 0; j < vN; j++) {
                    double val = xv[((b * vN + j) * vInner + i)];
                    n += val * val;
                }
                o[b * vInner + i] = (float) (1 / Math.sqrt(Math.max(n, L2_EPSILON)));
            }
        }
        return out;
    }

    /**
     * The cosine similarity of {@code a} and {@code b} along {@code axis} (which is removed), by
     * Keras's formula {@code Σ l2Normalize(a, axis) · l2Normalize(b, axis)}: 1 for parallel
     * vectors, −1 for opposite ones. The arguments broadcast together and each is normalised along
     * its own {@code axis}, so with differing ranks pass a negative axis.
     *
     * <p>This is the similarity, not Keras's {@code CosineSimilarity} loss, which is its negative:
     * that loss is {@code neg(mean(cosineSimilarity(yTrue, yPred, -1)))}.
     */
    @Differentiable(adjoint = {"cosineSimilarityAdjointA", "cosineSimilarityAdjointB"}, shape = ShapeRule.REDUCE_AXIS)
    public static Tensor cosineSimilarity(Tensor a, Tensor b, int axis) {
        int[] shape = Broadcast.shape(a.dims(), b.dims());
        Tensor products = Broadcast.apply(l2Normalize(a, ownAxis(a, shape, axis)), l2Normalize(b, ownAxis(b, shape, axis)),
                (x, y) -> x * y);
        return Reductions.sum(products, axis, false);
    }

    /** Adjoint of {@link #cosineSimilarity} with respect to {@code a}. */
    public static Tensor cosineSimilarityAdjointA(Tensor a, Tensor b, int axis, Tensor out, Tensor g) {
        return cosineAdjoint(a, b, axis, g);
    }

    /** Adjoint of {@link #cosineSimilarity} with respect to {@code b}. */
    public static Tensor cosineSimilarityAdjointB(Tensor a, Tensor b, int axis, Tensor out, Tensor g) {
        return cosineAdjoint(b, a, axis, g);
    }

    /** The gradient for {@code x} of {@code Σ l2n(x)·l2n(y)}: composed from the primitives' rules. */
    private static Tensor cosineAdjoint(Tensor x, Tensor y, int axis, Tensor g) {
        int[] shape = Broadcast.shape(x.dims(), y.dims());
        int ax = ownAxis(x, shape, axis);
        Tensor ux = l2Normalize(x, ax);
        Tensor uy = l2Normalize(y, ownAxis(y, shape, axis));
        Tensor gp = OpSupport.spread(g, shape, OpSupport.axis("cosineSimilarity", shape, axis));
        Tensor gux = Broadcast.reduceTo(Broadcast.apply(gp, uy, (p, q) -> p * q), ux.dims());
        return l2NormalizeAdjoint(x, ax, ux, gux);
    }

    /** {@code axis} of the broadcast shape as an axis of {@code t}, which must have it. */
    private static int ownAxis(Tensor t, int[] broadcast, int axis) {
        int a = OpSupport.axis("cosineSimilarity", broadcast, axis) - (broadcast.length - t.rank());
        if (a < 0) {
            throw new IllegalArgumentException("cosineSimilarity: axis " + axis + " of the broadcast shape "
                    + Arrays.toString(broadcast) + " is not an axis of the argument of shape "
                    + Arrays.toString(t.shape()) + "; pass a negative axis such as -1");
        }
        return a;
    }
}
