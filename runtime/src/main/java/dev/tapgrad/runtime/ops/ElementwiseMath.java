package dev.tapgrad.runtime.ops;

import static dev.tapgrad.runtime.internal.tensor.OpSupport.map;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Broadcast;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Elementwise math with its derivative rules: {@code abs}, {@code square}, {@code exp},
 * {@code log}, {@code sqrt}, {@code pow} and {@code clip}. Re-exported by
 * {@code dev.tapgrad.runtime.Ops}, through which loss bodies call them.
 *
 * <p>At kinks and at the edges of their domains the rules give what PyTorch gives: {@code abs'(0) = 0}, {@code log'(0)} and
 * {@code sqrt'(0)} are infinite, and {@code clip} passes the gradient on the closed interval.
 */
public final class ElementwiseMath {
    private ElementwiseMath() {}

    /** Elementwise absolute value. */
    @Differentiable(adjoint = "absAdjoint", shape = ShapeRule.SAME)
    public static Tensor abs(Tensor x) {
        // Explicit loops in the hot unary ops: a lambda through map would be a megamorphic call per value.
        Tensor out = Workspace.uninitialized(x.dims());
        float[] o = out.buffer();
        float[] in = x.buffer();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.abs(in[i]);
        }
        return out;
    }

    /** Adjoint of {@link #abs}: {@code g · sign(x)}, with {@code sign(0) = 0}. */
    public static Tensor absAdjoint(Tensor x, Tensor out, Tensor g) {
        if (!g.sameShape(x)) {
            return Broadcast.apply(g, x, (gv, xv) -> gv * Math.signum(xv));
        }
        // g · sign(x) without branching on x's sign or zeroness (a coin flip on activations, half of
        // them exact zeros after a relu; the branches in Math.signum made this 5 ns a value):
        // flip g's sign bit by x's, and keep only the sign when x is ±0. NaN in x and non-finite g
        // (rare, so predicted) take Math.signum. In float, g · sign(x) is exact, so this is the
        // broadcasting path's value bit for bit.
        Tensor d = Workspace.uninitialized(x.dims());
        float[] dv = d.buffer();
        float[] gv = g.buffer();
        float[] xv = x.buffer();
        for (int i = 0; i < dv.length; i++) {
            int xb = Float.floatToRawIntBits(xv[i]);
            int gb = Float.floatToRawIntBits(gv[i]);
            int xa = xb & 0x7fffffff;
            if (xa > 0x7f800000 || (gb & 0x7f800000) == 0x7f800000) {
                dv[i] = gv[i] * Math.signum(xv[i]);
            } else {
                int flipped = gb ^ (xb & 0x80000000);
                int zero = (xa - 1) >> 31; // all ones when x is ±0
                dv[i] = Float.intBitsToFloat(flipped & ~(zero & 0x7fffffff));
            }
        }
        return d;
    }

    /** Elementwise square. */
    @Differentiable(adjoint = "squareAdjoint", shape = ShapeRule.SAME)
    public static Tensor square(Tensor x) {
        Tensor out = Workspace.uninitialized(x.dims());
        float[] o = out.buffer();
        float[] in = x.buffer();
        for (int i = 0; i < o.length; i++) {
            o[i] = in[i] * in[i]; // one rounding of the exact product, as in double then float
        }
        return out;
    }

    /** Adjoint of {@link #square}: {@code 2 · x · g}. */
    public static Tensor squareAdjoint(Tensor x, Tensor out, Tensor g) {
        if (!g.sameShape(x)) {
            return Broadcast.apply(g, x, (gv, xv) -> 2 * xv * gv);
        }
        Tensor d = Workspace.uninitialized(x.dims());
        float[] dv = d.buffer();
        float[] gv = g.buffer();
        float[] xv = x.buffer();
        for (int i = 0; i < dv.length; i++) {
            dv[i] = 2 * xv[i] * gv[i]; // 2x is exact, so one rounding as in double then float
        }
        return d;
    }

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
