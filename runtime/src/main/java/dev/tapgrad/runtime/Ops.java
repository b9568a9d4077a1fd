package dev.tapgrad.runtime;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;

/**
 * The differentiable operations that loss bodies are written in ({@code import static
 * dev.tapgrad.runtime.Ops.*}). Each op names its derivative rule with {@link Differentiable}; the
 * rule sits right below the op. The processor finds the rules there, so there is no op table in
 * the compiler. Ops run eagerly too, which is how the user's loss methods evaluate outside training.
 *
 * <p>{@code Ops} is the one entry point: it declares the basic ops and inherits the rest, family
 * by family, so one static import brings every op:
 * <ul>
 *   <li>here: {@code abs}, {@code square}, {@code neg}, {@code scale}, {@code add}, {@code sub},
 *       {@code mul}, and the full {@code sum} and {@code mean};
 *   <li>{@link ElementwiseOps}: {@code exp}, {@code log}, {@code sqrt}, {@code pow}, {@code div},
 *       {@code clip};
 *   <li>{@link ReductionOps}: {@code max}, {@code min}, and {@code sum}, {@code mean}, {@code max},
 *       {@code min} along an axis;
 *   <li>{@link ShapeOps}: {@code expandDims}, {@code reshape}, {@code transpose}, {@code matmul};
 *   <li>{@link LossOps}: {@code softmax}, {@code logSoftmax}, {@code l2Normalize},
 *       {@code cosineSimilarity}, {@code klDivergence}, {@code categoricalCrossentropy},
 *       {@code mse}.
 * </ul>
 *
 * <p>Derivatives match PyTorch at kinks: {@code abs'(0) = 0}; {@code clip} passes the gradient on
 * the closed interval; {@code max} and {@code min} split it evenly among ties.
 */
public final class Ops extends LossOps {
    private Ops() {}

    // ---- unary ------------------------------------------------------------------------------

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

    // ---- binary, with broadcasting ----------------------------------------------------------

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

    // ---- full reductions --------------------------------------------------------------------

    /** Sum of every value, as a scalar (accumulated in double). */
    @Differentiable(adjoint = "sumAdjoint", shape = ShapeRule.SCALAR)
    public static Tensor sum(Tensor x) {
        // Four interleaved partial sums, added at the end: one running sum is a chain of dependent
        // double additions, four times slower on the activations an aux loss reduces.
        float[] v = x.buffer();
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= v.length; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < v.length; i++) {
            s0 += v[i];
        }
        return Workspace.newScalar((s0 + s1) + (s2 + s3));
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
