package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Draws;
import dev.tapgrad.runtime.internal.tensor.Workspace;

/**
 * Random tensors shaped like their argument, for loss and layer bodies (the reparameterisation
 * trick of a VAE: {@code add(mean, mul(exp(scale(0.5, logVar)), randomNormal(mean)))}).
 * Re-exported by {@code dev.tapgrad.runtime.Ops}.
 *
 * <p>They read only their argument's shape, so their derivative is zero ({@code zeroGradient}): the
 * processor treats a draw as a constant and no gradient flows through it. Inside a graph's step the
 * numbers come from the graph's seeded generator ({@link Draws}), so a run is the same for the same
 * seed; the result comes from the step's workspace, so drawing allocates nothing.
 */
public final class RandomDraws {
    private RandomDraws() {}

    /** Independent standard normal numbers (mean 0, variance 1) in the shape of {@code like}. */
    @Differentiable(adjoint = {}, shape = ShapeRule.SAME, zeroGradient = true)
    public static Tensor randomNormal(Tensor like) {
        Tensor out = Workspace.uninitialized(like.dims());
        float[] o = out.buffer();
        Draws draws = Draws.current();
        int draw = draws.next();
        for (int i = 0; i < o.length; i++) {
            // Box–Muller from two uniforms of this element; 1 − u lies in (0, 1], so the log is finite.
            double u = draws.uniform(draw, 2L * i);
            double v = draws.uniform(draw, 2L * i + 1);
            o[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return out;
    }

    /** Independent numbers uniform in [0, 1) in the shape of {@code like}. */
    @Differentiable(adjoint = {}, shape = ShapeRule.SAME, zeroGradient = true)
    public static Tensor randomUniform(Tensor like) {
        Tensor out = Workspace.uninitialized(like.dims());
        float[] o = out.buffer();
        Draws draws = Draws.current();
        int draw = draws.next();
        for (int i = 0; i < o.length; i++) {
            // (float) of a double just below 1 rounds to 1f: keep the float in [0, 1) as documented.
            o[i] = Math.min((float) draws.uniform(draw, i), 0x1.fffffep-1f);
        }
        return out;
    }
}
