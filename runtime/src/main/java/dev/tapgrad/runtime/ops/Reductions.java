package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.OpSupport;
import dev.tapgrad.runtime.internal.tensor.Sums;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import dev.tapgrad.runtime.kernel.math.SumMath;
import java.util.Arrays;

/**
 * Reductions with their derivative rules: {@code sum}, {@code mean}, {@code max} and {@code min}
 * of everything (a scalar) or along one axis. Re-exported by {@code dev.tapgrad.runtime.Ops};
 * sums run in double.
 *
 * <p>An axis may be negative, counting from the end ({@code -1} is the last axis). With
 * {@code keepDims} the reduced axis stays with size 1, so the result broadcasts against the input
 * ({@code div(x, sum(x, -1, true))}); without it the axis is removed.
 *
 * <p>At ties {@code max} and {@code min} split the gradient evenly among the positions that hold
 * the extreme value, as PyTorch 1.13's {@code torch.max(x)} and {@code torch.amax(x, dim)} do
 * ({@code torch.max(x, dim)} would give it all to one index instead).
 */
public final class Reductions {
    private Reductions() {}

    private enum Kind { SUM, MEAN, MAX, MIN }

    // ---- full reductions ---------------------------------------------------------------------

    /** Sum of every value, as a scalar (accumulated in double). */
    @Differentiable(adjoint = "sumAdjoint", shape = ShapeRule.SCALAR)
    public static Tensor sum(Tensor x) {
        // Eight interleaved partial sums per fixed block, the blocks shared between the threads
        // and added in order (Sums): one running sum is a chain of dependent double additions,
        // several times slower on the activations an aux loss reduces.
        return Workspace.newScalar(Sums.sum(x.buffer(), SumMath.PLAIN));
    }

    /** Adjoint of {@link #sum}: {@code g} copied to every position of x. */
    public static Tensor sumAdjoint(Tensor x, Tensor out, Tensor g) {
        Tensor d = Workspace.uninitialized(x.dims());
        d.fill(g.item());
        return d;
    }

    /** Mean of every value, as a scalar (accumulated in double). */
    @Differentiable(adjoint = "meanAdjoint", shape = ShapeRule.SCALAR)
    public static Tensor mean(Tensor x) {
        return Workspace.newScalar(sum(x).item() / (double) Math.max(1, x.size()));
    }

    /** Adjoint of {@link #mean}: {@code g / n} at every position of x. */
    public static Tensor meanAdjoint(Tensor x, Tensor out, Tensor g) {
        Tensor d = Workspace.uninitialized(x.dims());
        d.fill((float) (g.item() / (double) Math.max(1, x.size())));
        return d;
    }

    /** The largest value, as a scalar. */
    @Differentiable(adjoint = "maxAdjoint", shape = ShapeRule.SCALAR)
    public static Tensor max(Tensor x) {
        return reduceAll("max", x, Kind.MAX);
    }

    /** Adjoint of {@link #max(Tensor)}: {@code g} split evenly among the positions holding the maximum. */
    public static Tensor maxAdjoint(Tensor x, Tensor out, Tensor g) {
        return extremeAdjoint(x.reshape(1, x.size()), out.reshape(1), g.reshape(1), 1).reshape(x.shape());
    }

    /** The smallest value, as a scalar. */
    @Differentiable(adjoint = "minAdjoint", shape = ShapeRule.SCALAR)
    public static Tensor min(Tensor x) {
        return reduceAll("min", x, Kind.MIN);
    }

    /** Adjoint of {@link #min(Tensor)}: {@code g} split evenly among the positions holding the minimum. */
    public static Tensor minAdjoint(Tensor x, Tensor out, Tensor g) {
        return extremeAdjoint(x.reshape(1, x.size()), out.reshape(1), g.reshape(1), 1).reshape(x.shape());
    }

    // ---- along one axis ------------------------------------------------------------------------

    /** Sum along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Differentiable(adjoint = "sumAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor sum(Tensor x, int axis, boolean keepDims) {
        return reduce("sum", x, axis, keepDims, Kind.SUM);
    }

    /** Sum along {@code axis}, which is removed. */
    @Differentiable(adjoint = "sumAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor sum(Tensor x, int axis) {
        return sum(x, axis, false);
    }

    /** Adjoint of {@link #sum(Tensor, int, boolean)}: {@code g} copied along the axis. */
    public static Tensor sumAxisAdjoint(Tensor x, int axis, boolean keepDims, Tensor out, Tensor g) {
        return OpSupport.spread(g, x.dims(), OpSupport.axis("sum", x.dims(), axis));
    }

    /** Adjoint of {@link #sum(Tensor, int)}. */
    public static Tensor sumAxisAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        return sumAxisAdjoint(x, axis, false, out, g);
    }

    /** Mean along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Differentiable(adjoint = "meanAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor mean(Tensor x, int axis, boolean keepDims) {
        return reduce("mean", x, axis, keepDims, Kind.MEAN);
    }

    /** Mean along {@code axis}, which is removed. */
    @Differentiable(adjoint = "meanAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor mean(Tensor x, int axis) {
        return mean(x, axis, false);
    }

    /** Adjoint of {@link #mean(Tensor, int, boolean)}: {@code g / n} copied along the axis of length n. */
    public static Tensor meanAxisAdjoint(Tensor x, int axis, boolean keepDims, Tensor out, Tensor g) {
        int a = OpSupport.axis("mean", x.dims(), axis);
        double n = Math.max(1, x.dim(a));
        return OpSupport.map(OpSupport.spread(g, x.dims(), a), v -> v / n);
    }

    /** Adjoint of {@link #mean(Tensor, int)}. */
    public static Tensor meanAxisAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        return meanAxisAdjoint(x, axis, false, out, g);
    }

    /** Maximum along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Differentiable(adjoint = "maxAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor max(Tensor x, int axis, boolean keepDims) {
        return reduce("max", x, axis, keepDims, Kind.MAX);
    }

    /** Maximum along {@code axis}, which is removed. */
    @Differentiable(adjoint = "maxAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor max(Tensor x, int axis) {
        return max(x, axis, false);
    }

    /** Adjoint of {@link #max(Tensor, int, boolean)}: {@code g} split evenly among each maximum's positions. */
    public static Tensor maxAxisAdjoint(Tensor x, int axis, boolean keepDims, Tensor out, Tensor g) {
        return extremeAdjoint(x, out, g, OpSupport.axis("max", x.dims(), axis));
    }

    /** Adjoint of {@link #max(Tensor, int)}. */
    public static Tensor maxAxisAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        return maxAxisAdjoint(x, axis, false, out, g);
    }

    /** Minimum along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Differentiable(adjoint = "minAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor min(Tensor x, int axis, boolean keepDims) {
        return reduce("min", x, axis, keepDims, Kind.MIN);
    }

    /** Minimum along {@code axis}, which is removed. */
    @Differentiable(adjoint = "minAxisAdjoint", shape = ShapeRule.REDUCE_AXIS)
    public static Tensor min(Tensor x, int axis) {
        return min(x, axis, false);
    }

    /** Adjoint of {@link #min(Tensor, int, boolean)}: {@code g} split evenly among each minimum's positions. */
    public static Tensor minAxisAdjoint(Tensor x, int axis, boolean keepDims, Tensor out, Tensor g) {
        return extremeAdjoint(x, out, g, OpSupport.axis("min", x.dims(), axis));
    }

    /** Adjoint of {@link #min(Tensor, int)}. */
    public static Tensor minAxisAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        return minAxisAdjoint(x, axis, false, out, g);
    }

    // ---- kernels -------------------------------------------------------------------------------

    private static Tensor reduceAll(String op, Tensor x, Kind kind) {
        if (x.size() == 0) {
            throw new IllegalArgumentException(op + " of an empty tensor " + Arrays.toString(x.shape()));
        }
        return reduce(op, x.reshape(x.size()), 0, false, kind);
    }

    private static Tensor reduce(String op, Tensor x, int axis, boolean keepDims, Kind kind) {
        int[] shape = x.dims();
        int a = OpSupport.axis(op, shape, axis);
        int vOuter = OpSupport.outer(shape, a);
        int vN = shape[a];
        int vInner = OpSupport.inner(shape, a);
        if (vN == 0 && (kind == Kind.MAX || kind == Kind.MIN)) {
            throw new IllegalArgumentException(op + " along axis " + axis + " of " + Arrays.toString(shape)
                    + ": the axis is empty");
        }
        Tensor out = Workspace.zeros(OpSupport.reducedShape(shape, a, keepDims));
        float[] o = out.buffer();
        float[] in = x.buffer();
        for (int b = 0; b < vOuter; b++) {
            for (int i = 0; i < vInner; i++) {
                double acc = kind == Kind.MAX ? Double.NEGATIVE_INFINITY : kind == Kind.MIN ? Double.POSITIVE_INFINITY : 0;
                for (int j = 0; j < vN; j++) {
                    float val = in[((b * vN + j) * vInner + i)];
                    acc = switch (kind) {
                        case SUM, MEAN -> acc + val;
                        case MAX -> Math.max(acc, val);
                        case MIN -> Math.min(acc, val);
                    };
                }
                o[b * vInner + i] = (float) (kind == Kind.MEAN ? acc / Math.max(1, vN) : acc);
            }
        }
        return out;
    }

    /** {@code g} at the positions along {@code axis} equal to the reduced value, divided by their count. */
    private static Tensor extremeAdjoint(Tensor x, Tensor out, Tensor g, int axis) {
        int vOuter = OpSupport.outer(x.dims(), axis);
        int vN = x.dims()[axis];
        int vInner = OpSupport.inner(x.dims(), axis);
        Tensor d = Workspace.zeros(x.dims());
        float[] dv = d.buffer();
        float[] in = x.buffer();
        float[] ov = out.buffer();
        float[] gv = g.buffer();
        for (int b = 0; b < vOuter; b++) {
            for (int i = 0; i < vInner; i++) {
                float extreme = ov[b * vInner + i];
                int count = 0;
                for (int j = 0; j < vN; j++) {
                    count += in[((b * vN + j) * vInner + i)] == extreme ? 1 : 0;
                }
                float share = count == 0 ? 0 : gv[b * vInner + i] / count;
                for (int j = 0; j < vN; j++) {
                    dv[((b * vN + j) * vInner + i)] = in[((b * vN + j) * vInner + i)] == extreme ? share : 0;
                }
            }
        }
        return d;
    }
}
