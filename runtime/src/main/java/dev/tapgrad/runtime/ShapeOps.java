package dev.tapgrad.runtime;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.util.Arrays;

/**
 * Ops that move values between axes, with their derivative rules: {@code expandDims},
 * {@code reshape}, {@code transpose} and {@code matmul}. Part of {@link Ops}.
 *
 * <p>{@code reshape} comes in three arities instead of varargs, because loss bodies are checked
 * with constant arguments: {@code reshape(x, d0)}, {@code reshape(x, d0, d1)},
 * {@code reshape(x, d0, d1, d2)}. One dimension may be {@code -1} and is inferred from the size,
 * as in NumPy. In a loss body on batched activations the batch stays first: write {@code -1} for
 * it, e.g. {@code reshape(conv1, -1, 21632)} turns {@code (B, 26, 26, 32)} into
 * {@code (B, 21632)}; the processor checks that the other dimensions hold one example's values.
 */
public class ShapeOps extends ReductionOps {
    ShapeOps() {}

    /** {@code x} with a new axis of size 1 at {@code axis} ({@code -1} appends one), as {@code torch.unsqueeze}. */
    @Differentiable(adjoint = "expandDimsAdjoint", shape = ShapeRule.EXPAND_DIMS)
    public static Tensor expandDims(Tensor x, int axis) {
        int rank = x.rank();
        if (axis < -(rank + 1) || axis > rank) {
            throw new IllegalArgumentException("expandDims: axis " + axis + " is out of range for shape "
                    + Arrays.toString(x.shape()) + "; valid positions are " + -(rank + 1) + ".." + rank);
        }
        int a = axis < 0 ? axis + rank + 1 : axis;
        int[] shape = new int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            shape[i] = i == a ? 1 : x.dim(j++);
        }
        return x.reshape(shape);
    }

    /** Adjoint of {@link #expandDims}: {@code g} with the axis removed again. */
    public static Tensor expandDimsAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        return g.reshape(x.shape());
    }

    /** {@code x} as a rank-1 tensor of {@code d0} values ({@code -1}: all of them). */
    @Differentiable(adjoint = "reshapeAdjoint", shape = ShapeRule.RESHAPE)
    public static Tensor reshape(Tensor x, int d0) {
        return x.reshape(OpSupport.reshapeTarget(x.shape(), d0));
    }

    /** {@code x} as {@code (d0, d1)}; one of them may be {@code -1}. */
    @Differentiable(adjoint = "reshapeAdjoint", shape = ShapeRule.RESHAPE)
    public static Tensor reshape(Tensor x, int d0, int d1) {
        return x.reshape(OpSupport.reshapeTarget(x.shape(), d0, d1));
    }

    /** {@code x} as {@code (d0, d1, d2)}; one of them may be {@code -1}. */
    @Differentiable(adjoint = "reshapeAdjoint", shape = ShapeRule.RESHAPE)
    public static Tensor reshape(Tensor x, int d0, int d1, int d2) {
        return x.reshape(OpSupport.reshapeTarget(x.shape(), d0, d1, d2));
    }

    /** Adjoint of {@link #reshape(Tensor, int)}: {@code g} in x's shape. */
    public static Tensor reshapeAdjoint(Tensor x, int d0, Tensor out, Tensor g) {
        return g.reshape(x.shape());
    }

    /** Adjoint of {@link #reshape(Tensor, int, int)}: {@code g} in x's shape. */
    public static Tensor reshapeAdjoint(Tensor x, int d0, int d1, Tensor out, Tensor g) {
        return g.reshape(x.shape());
    }

    /** Adjoint of {@link #reshape(Tensor, int, int, int)}: {@code g} in x's shape. */
    public static Tensor reshapeAdjoint(Tensor x, int d0, int d1, int d2, Tensor out, Tensor g) {
        return g.reshape(x.shape());
    }

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
}
