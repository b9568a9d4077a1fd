package dev.tapgrad.runtime.loss;

/** Which argument of a loss {@code (yTrue, yPred)} a gradient is for. */
public enum Wrt {
    /** The labels (or target distribution). */
    TRUE,
    /** The predictions. */
    PRED
}
