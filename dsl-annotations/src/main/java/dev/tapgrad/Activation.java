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
    GELU
}
