package dev.tapgrad.runtime.ops;

import dev.tapgrad.Activation;
import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import java.util.Arrays;

/**
 * The activation functions as ops for loss and layer bodies, each with its derivative rule beside
 * it: {@code relu}, {@code sigmoid}, {@code tanh}, {@code softplus}, {@code elu}, {@code selu},
 * {@code silu}, {@code gelu} and {@code leakyRelu}. Re-exported by {@code dev.tapgrad.runtime.Ops}.
 *
 * <p>Values and derivatives are those of the layers' {@code activation =} (one kernel,
 * {@link dev.tapgrad.runtime.kernel.math.Activations}, serves both), with Keras's definitions and
 * PyTorch's choices at kinks: {@code relu'(0) = 0}, {@code leakyRelu'(0) = 0.2}, {@code selu'(0) =
 * scale · alpha}. {@code gelu} is the exact (erf) form, the default of {@code keras.activations.gelu}
 * and of {@code torch.nn.functional.gelu}.
 */
public final class Activations {
    private Activations() {}

    /** Elementwise {@code max(x, 0)}. */
    @Differentiable(adjoint = "reluAdjoint", shape = ShapeRule.SAME)
    public static Tensor relu(Tensor x) {
        return apply(Activation.RELU, x);
    }

    /** Adjoint of {@link #relu}: {@code g} where {@code x > 0}, else 0 (also at 0, as PyTorch). */
    public static Tensor reluAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("reluAdjoint", Activation.RELU, x, out, g);
    }

    /** Elementwise logistic function {@code 1 / (1 + e⁻ˣ)}, computed without overflow. */
    @Differentiable(adjoint = "sigmoidAdjoint", shape = ShapeRule.SAME)
    public static Tensor sigmoid(Tensor x) {
        return apply(Activation.SIGMOID, x);
    }

    /** Adjoint of {@link #sigmoid}: {@code g · out · (1 − out)}. */
    public static Tensor sigmoidAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("sigmoidAdjoint", Activation.SIGMOID, x, out, g);
    }

    /** Elementwise hyperbolic tangent. */
    @Differentiable(adjoint = "tanhAdjoint", shape = ShapeRule.SAME)
    public static Tensor tanh(Tensor x) {
        return apply(Activation.TANH, x);
    }

    /** Adjoint of {@link #tanh}: {@code g · (1 − out²)}. */
    public static Tensor tanhAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("tanhAdjoint", Activation.TANH, x, out, g);
    }

    /** Elementwise {@code log(1 + eˣ)}, computed without overflow. */
    @Differentiable(adjoint = "softplusAdjoint", shape = ShapeRule.SAME)
    public static Tensor softplus(Tensor x) {
        return apply(Activation.SOFTPLUS, x);
    }

    /** Adjoint of {@link #softplus}: {@code g · sigmoid(x)}. */
    public static Tensor softplusAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("softplusAdjoint", Activation.SOFTPLUS, x, out, g);
    }

    /** Elementwise {@code x > 0 ? x : eˣ − 1} (alpha 1, as Keras's {@code elu}). */
    @Differentiable(adjoint = "eluAdjoint", shape = ShapeRule.SAME)
    public static Tensor elu(Tensor x) {
        return apply(Activation.ELU, x);
    }

    /** Adjoint of {@link #elu}: {@code g} for {@code x > 0}, {@code g · eˣ} otherwise. */
    public static Tensor eluAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("eluAdjoint", Activation.ELU, x, out, g);
    }

    /** Elementwise {@code scale · (x > 0 ? x : alpha · (eˣ − 1))} with Keras's and PyTorch's constants. */
    @Differentiable(adjoint = "seluAdjoint", shape = ShapeRule.SAME)
    public static Tensor selu(Tensor x) {
        return apply(Activation.SELU, x);
    }

    /** Adjoint of {@link #selu}: {@code g · scale} for {@code x > 0}, {@code g · scale · alpha · eˣ} otherwise. */
    public static Tensor seluAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("seluAdjoint", Activation.SELU, x, out, g);
    }

    /** Elementwise {@code x · sigmoid(x)} (swish). */
    @Differentiable(adjoint = "siluAdjoint", shape = ShapeRule.SAME)
    public static Tensor silu(Tensor x) {
        return apply(Activation.SILU, x);
    }

    /** Adjoint of {@link #silu}: {@code g · s · (1 + x · (1 − s))} with {@code s = sigmoid(x)}. */
    public static Tensor siluAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("siluAdjoint", Activation.SILU, x, out, g);
    }

    /** Elementwise {@code x · Φ(x) = 0.5 · x · (1 + erf(x / √2))}, the exact GELU. */
    @Differentiable(adjoint = "geluAdjoint", shape = ShapeRule.SAME)
    public static Tensor gelu(Tensor x) {
        return apply(Activation.GELU, x);
    }

    /** Adjoint of {@link #gelu}: {@code g · (Φ(x) + x · φ(x))}. */
    public static Tensor geluAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("geluAdjoint", Activation.GELU, x, out, g);
    }

    /** Elementwise {@code x > 0 ? x : 0.2 · x}, the slope of {@code keras.activations.leaky_relu}. */
    @Differentiable(adjoint = "leakyReluAdjoint", shape = ShapeRule.SAME)
    public static Tensor leakyRelu(Tensor x) {
        return apply(Activation.LEAKY_RELU, x);
    }

    /** Adjoint of {@link #leakyRelu}: {@code g} for {@code x > 0}, {@code 0.2 · g} otherwise (also at 0, as PyTorch). */
    public static Tensor leakyReluAdjoint(Tensor x, Tensor out, Tensor g) {
        return gradient("leakyReluAdjoint", Activation.LEAKY_RELU, x, out, g);
    }

    // One (rows, cols) = (1, size) block: these activations are elementwise, so the layout is irrelevant.

    private static Tensor apply(Activation act, Tensor x) {
        Tensor out = Workspace.uninitialized(x.dims());
        dev.tapgrad.runtime.kernel.math.Activations.forward(act, x.buffer(), out.buffer(), 1, x.size());
        return out;
    }

    private static Tensor gradient(String op, Activation act, Tensor x, Tensor out, Tensor g) {
        if (!g.sameShape(x) || !out.sameShape(x)) {
            throw new IllegalArgumentException(op + ": x " + Arrays.toString(x.shape()) + ", out "
                    + Arrays.toString(out.shape()) + " and g " + Arrays.toString(g.shape()) + " must have one shape");
        }
        Tensor d = Workspace.copyOf(g);
        dev.tapgrad.runtime.kernel.math.Activations.backward(act, x.buffer(), out.buffer(), d.buffer(), 1, x.size());
        return d;
    }
}
