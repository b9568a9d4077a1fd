package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.OpSupport;
import java.util.Arrays;

/**
 * Ops that change a tensor's shape but not its values, with their derivative rules:
 * {@code expandDims} and {@code reshape}. Re-exported by {@code dev.tapgrad.runtime.Ops}.
 *
 * <p>{@code reshape} comes in three arities instead of varargs, because loss bodies are checked
 * with constant arguments: {@code reshape(x, d0)}, {@code reshape(x, d0, d1)},
 * {@code reshape(x, d0, d1, d2)}. One dimension may be {@code -1} and is inferred from the size,
 * as in NumPy. In a loss body on batched activations the batch stays first: write {@code -1} for
 * it, e.g. {@code reshape(conv1, -1, 21632)} turns {@code (B, 26, 26, 32)} into
 * {@code (B, 21632)}; the processor checks that the other dimensions hold one example's values.
 */
public final class Shapes {
    private Shapes() {}

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
}
