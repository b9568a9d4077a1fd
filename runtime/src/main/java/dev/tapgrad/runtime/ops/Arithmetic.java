package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Broadcast;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Arithmetic with its derivative rules: {@code neg}, {@code scale} by a constant, and {@code add},
 * {@code sub}, {@code mul}, {@code div} with NumPy broadcasting (a gradient is summed back over the
 * axes its argument was broadcast along). Re-exported by {@code dev.tapgrad.runtime.Ops}.
 */
public final class Arithmetic {
    private Arithmetic() {}

    /** Elementwise negation. */
    @Differentiable(adjoint = "negAdjoint", shape = ShapeRule.SAME)
    public static Tensor neg(Tensor x) {
        return negate(x);
    }

    /** Adjoint of {@link #neg}: {@code -g}. */
    public static Tensor negAdjoint(Tensor x, Tensor out, Tensor g) {
        return negate(g);
    }

    /** {@code factor · x}, with a constant factor. */
    @Differentiable(adjoint = {"scaleAdjoint"}, shape = ShapeRule.SAME)
    public static Tensor scale(double factor, Tensor x) {
        return times(factor, x);
    }

    /** Adjoint of {@link #scale} with respect to {@code x}: {@code factor · g}. */
    public static Tensor scaleAdjoint(double factor, Tensor x, Tensor out, Tensor g) {
        return times(factor, g);
    }

    /** Elementwise {@code a + b} with NumPy broadcasting. */
    @Differentiable(adjoint = {"addAdjointA", "addAdjointB"}, shape = ShapeRule.BROADCAST)
    public static Tensor add(Tensor a, Tensor b) {
        return Broadcast.apply(a, b, Double::sum);
    }

    /** Adjoint of {@link #add} with respect to {@code a}. */
    public static Tensor addAdjointA(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(g, a.dims());
    }

    /** Adjoint of {@link #add} with respect to {@code b}. */
    public static Tensor addAdjointB(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(g, b.dims());
    }

    /** Elementwise {@code a - b} with NumPy broadcasting. */
    @Differentiable(adjoint = {"subAdjointA", "subAdjointB"}, shape = ShapeRule.BROADCAST)
    public static Tensor sub(Tensor a, Tensor b) {
        return Broadcast.apply(a, b, (x, y) -> x - y);
    }

    /** Adjoint of {@link #sub} with respect to {@code a}. */
    public static Tensor subAdjointA(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(g, a.dims());
    }

    /** Adjoint of {@link #sub} with respect to {@code b}. */
    public static Tensor subAdjointB(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(negate(g), b.dims());
    }

    /** Elementwise {@code a · b} with NumPy broadcasting. */
    @Differentiable(adjoint = {"mulAdjointA", "mulAdjointB"}, shape = ShapeRule.BROADCAST)
    public static Tensor mul(Tensor a, Tensor b) {
        return Broadcast.apply(a, b, (x, y) -> x * y);
    }

    /** Adjoint of {@link #mul} with respect to {@code a}: {@code g · b}, reduced to a's shape. */
    public static Tensor mulAdjointA(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(Broadcast.apply(g, b, (x, y) -> x * y), a.dims());
    }

    /** Adjoint of {@link #mul} with respect to {@code b}: {@code g · a}, reduced to b's shape. */
    public static Tensor mulAdjointB(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(Broadcast.apply(g, a, (x, y) -> x * y), b.dims());
    }

    /** Elementwise {@code a / b} with NumPy broadcasting. */
    @Differentiable(adjoint = {"divAdjointA", "divAdjointB"}, shape = ShapeRule.BROADCAST)
    public static Tensor div(Tensor a, Tensor b) {
        return Broadcast.apply(a, b, (x, y) -> x / y);
    }

    /** Adjoint of {@link #div} with respect to {@code a}: {@code g / b}, reduced to a's shape. */
    public static Tensor divAdjointA(Tensor a, Tensor b, Tensor out, Tensor g) {
        return Broadcast.reduceTo(Broadcast.apply(g, b, (x, y) -> x / y), a.dims());
    }

    /** Adjoint of {@link #div} with respect to {@code b}: {@code -g · a / b²}, reduced to b's shape. */
    public static Tensor divAdjointB(Tensor a, Tensor b, Tensor out, Tensor g) {
        Tensor ratio = Broadcast.apply(a, b, (x, y) -> x / (y * y));
        return Broadcast.reduceTo(Broadcast.apply(g, ratio, (x, y) -> -x * y), b.dims());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Tensor negate(Tensor x) {
        Tensor out = Workspace.uninitialized(x.dims());
        float[] o = out.buffer();
        float[] in = x.buffer();
        for (int i = 0; i < o.length; i++) {
            o[i] = -in[i];
        }
        return out;
    }

    /** {@code factor · x}, multiplied in double as the op is defined (the factor need not be a float). */
    private static Tensor times(double factor, Tensor x) {
        Tensor out = Workspace.uninitialized(x.dims());
        float[] o = out.buffer();
        float[] in = x.buffer();
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) (factor * in[i]);
        }
        return out;
    }
}
