package dev.tapgrad;

/**
 * How a {@link Differentiable} operation's result shape follows from its arguments; the processor
 * uses it to check loss bodies at compile time.
 */
public enum ShapeRule {
    /** The result has the shape of the first tensor argument (elementwise unary ops, {@code scale}). */
    SAME,
    /** NumPy broadcasting of the tensor arguments ({@code add}, {@code mul}, ...). */
    BROADCAST,
    /** The result is a scalar (full reductions such as {@code mean}, {@code sum}). */
    SCALAR
}
