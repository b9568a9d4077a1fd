package dev.tapgrad.runtime.internal.tensor;

import dev.tapgrad.runtime.Tensor;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The shared mechanics of the op classes in {@code dev.tapgrad.runtime.ops}: elementwise maps,
 * axis arithmetic, and a tensor seen as {@code (outer, n, inner)} around one axis (value {@code (o, j, i)} at {@code (o·n + j)·inner + i}),
 * which every reduction and every last-axis op uses. Shapes computed here are workspace scratch
 * (see {@link Workspace#ints}): use them, do not keep them.
 * Argument errors name the op and the shapes.
 */
public final class OpSupport {
    private OpSupport() {}

    /** {@code f(x)} elementwise, computed in double and stored as float. */
    public static Tensor map(Tensor x, DoubleUnaryOperator f) {
        Tensor out = Workspace.uninitialized(x.dims());
        float[] o = out.buffer();
        float[] in = x.buffer();
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) f.applyAsDouble(in[i]);
        }
        return out;
    }

    /** {@code axis} as an index in {@code 0 .. rank-1}; negative axes count from the end. */
    public static int axis(String op, int[] shape, int axis) {
        int rank = shape.length;
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape "
                    + Arrays.toString(shape) + "; valid axes are " + (rank == 0 ? "none (a scalar has no axes)"
                            : -rank + ".." + (rank - 1)));
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** Product of the dimensions before {@code axis}: how many blocks the axis repeats in. */
    public static int outer(int[] shape, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        return outer;
    }

    /** Product of the dimensions after {@code axis}: the stride of one step along it. */
    public static int inner(int[] shape, int axis) {
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return inner;
    }

    /** The last axis of {@code shape}, which an op working along it needs; a scalar has none. */
    public static int lastAxis(String op, int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(op + " works along the last axis, but its argument is a scalar");
        }
        return shape.length - 1;
    }

    /** {@code shape} without {@code axis}, or with it set to 1 when {@code keepDims}. */
    public static int[] reducedShape(int[] shape, int axis, boolean keepDims) {
        if (keepDims) {
            int[] out = Workspace.ints(shape.length);
            System.arraycopy(shape, 0, out, 0, shape.length);
            out[axis] = 1;
            return out;
        }
        int[] out = Workspace.ints(shape.length - 1);
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** {@code t} broadcast to {@code shape} as a new tensor (NumPy rules). */
    public static Tensor broadcastTo(Tensor t, int[] shape) {
        return Broadcast.apply(t, Workspace.zeros(shape), (a, b) -> a);
    }

    /** {@code g}, shaped like a reduction of {@code shape} along {@code axis}, copied along that axis. */
    public static Tensor spread(Tensor g, int[] shape, int axis) {
        int outer = outer(shape, axis);
        int n = shape[axis];
        int inner = inner(shape, axis);
        Tensor d = Workspace.zeros(shape);
        float[] out = d.buffer();
        float[] gv = g.buffer();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < inner; i++) {
                    out[(o * n + j) * inner + i] = gv[o * inner + i];
                }
            }
        }
        return d;
    }

    /**
     * The shape {@code dims} asks for, with one {@code -1} inferred from {@code size} as in NumPy.
     */
    public static int[] reshapeTarget(int[] from, int... dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && infer < 0) {
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("reshape " + Arrays.toString(from) + " to " + Arrays.toString(dims)
                        + ": only one dimension may be -1, and no other may be negative");
            } else {
                known *= dims[i];
            }
        }
        long size = 1;
        for (int d : from) {
            size *= d;
        }
        int[] out = dims.clone();
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape " + Arrays.toString(from) + " to " + Arrays.toString(dims)
                        + ": " + size + " values do not split into blocks of " + known);
            }
            out[infer] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("reshape " + Arrays.toString(from) + " to " + Arrays.toString(dims)
                    + ": " + size + " values cannot fill " + known);
        }
        return out;
    }
}
