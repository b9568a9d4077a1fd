package dev.tapgrad.runtime;

import static dev.tapgrad.runtime.OpSupport.map;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;

/**
 * Elementwise ops with their derivative rules: {@code exp}, {@code log}, {@code sqrt},
 * {@code pow}, {@code div} and {@code clip}. Part of {@link Ops}: loss bodies call them through
 * {@code import static dev.tapgrad.runtime.Ops.*}, which {@code Ops} inherits from here.
 *
 * <p>At the edges of their domains the rules give what PyTorch gives: {@code log'(0)} and
 * {@code sqrt'(0)} are infinite, and {@code clip} passes the gradient on the closed interval.
 */
public class ElementwiseOps {
    ElementwiseOps() {}

    /** Elementwise {@code eˣ}. */
    @Differentiable(adjoint = "expAdjoint", shape = ShapeRule.SAME)
    public static Tensor exp(Tensor x) {
        return map(x, Math::exp);
    }

    /** Adjoint of {@link #exp}: {@code g · eˣ}, which is {@code g · out}. */
    public static Tensor expAdjoint(Tensor x, Tensor out, Tensor g) {
        return Broadcast.apply(g, out, (gv, ov) -> gv * ov);
    }

    /** Elementwise natural logarithm ({@code -∞} at 0, NaN below). */
    @Differentiable(adjoint = "logAdjoint", shape = ShapeRule.SAME)
    public static Tensor log(Tensor x) {
        return map(x, Math::log);
    }

    /** Adjoint of {@link #log}: {@code g / x}. */
    public static Tensor logAdjoint(Tensor x, Tensor out, Tensor g) {
        return Broadcast.apply(g, x, (gv, xv) -> gv / xv);
    }

    /** Elementwise square root (NaN below 0). */
    @Differentiable(adjoint = "sqrtAdjoint", shape = ShapeRule.SAME)
    public static Tensor sqrt(Tensor x) {
        return map(x, Math::sqrt);
    }

    /** Adjoint of {@link #sqrt}: {@code g / (2·√x)}, infinite at 0 as in PyTorch. */
    public static Tensor sqrtAdjoint(Tensor x, Tensor out, Tensor g) {
        return Broadcast.apply(g, x, (gv, xv) -> gv / (2 * Math.sqrt(xv)));
    }

    /** Elementwise {@code xᵖ} with a constant exponent (NaN for negative x and a non-integer p). */
    @Differentiable(adjoint = "powAdjoint", shape = ShapeRule.SAME)
    public static Tensor pow(Tensor x, double p) {
        return map(x, v -> Math.pow(v, p));
    }

    /** Adjoint of {@link #pow}: {@code g · p · xᵖ⁻¹}, and 0 for {@code p = 0} (as PyTorch). */
    public static Tensor powAdjoint(Tensor x, double p, Tensor out, Tensor g) {
        return Broadcast.apply(g, x, (gv, xv) -> p == 0 ? 0 : gv * p * Math.pow(xv, p - 1));
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

    /**
     * Elementwise {@code min(max(x, lo), hi)}, as {@code torch.clamp}.
     *
     * @throws IllegalArgumentException if {@code lo > hi} or either is NaN
     */
    @Differentiable(adjoint = "clipAdjoint", shape = ShapeRule.SAME)
    public static Tensor clip(Tensor x, double lo, double hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip: lo " + lo + " must not exceed hi " + hi);
        }
        return map(x, v -> Math.min(Math.max(v, lo), hi));
    }

    /**
     * Adjoint of {@link #clip}: {@code g} where {@code lo ≤ x ≤ hi} (boundaries included, as
     * {@code torch.clamp}), 0 outside.
     */
    public static Tensor clipAdjoint(Tensor x, double lo, double hi, Tensor out, Tensor g) {
        return Broadcast.apply(g, x, (gv, xv) -> xv >= lo && xv <= hi ? gv : 0);
    }
}
