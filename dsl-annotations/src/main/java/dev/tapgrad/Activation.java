package dev.tapgrad;

/** Activation applied to a layer's output, as in Keras's {@code activation=} argument. */
public enum Activation {
    /** Identity, {@code f(x) = x}. */
    LINEAR,
    /** {@code max(x, 0)}; its derivative at 0 is 0, as in PyTorch. */
    RELU,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** Hyperbolic tangent. */
    TANH,
    /** Softmax over the last axis; the output is a probability distribution. */
    SOFTMAX,
    /** Gaussian error linear unit, exact (erf) form. */
    GELU,
    /** Exponential linear unit, {@code x > 0 ? x : exp(x) − 1} (alpha 1, as Keras's {@code elu}). */
    ELU,
    /**
     * Scaled ELU, {@code scale · (x > 0 ? x : alpha · (exp(x) − 1))} with Keras's and PyTorch's
     * constants; its derivative at 0 is {@code scale · alpha}, as in PyTorch.
     */
    SELU,
    /** Sigmoid linear unit (swish), {@code x · sigmoid(x)}. */
    SILU,
    /** {@code log(1 + exp(x))}, computed without overflow. */
    SOFTPLUS,
    /** {@code x > 0 ? x : 0.2 · x}, Keras's {@code leaky_relu} default slope; its derivative at 0 is 0.2, as in PyTorch. */
    LEAKY_RELU
}
