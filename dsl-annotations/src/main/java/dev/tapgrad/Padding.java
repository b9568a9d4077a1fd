package dev.tapgrad;

/** Convolution padding, as in Keras. */
public enum Padding {
    /** No padding: the output shrinks by {@code kernel - 1}. */
    VALID,
    /** Zero padding so that the output size is {@code ceil(input / stride)}. */
    SAME
}
