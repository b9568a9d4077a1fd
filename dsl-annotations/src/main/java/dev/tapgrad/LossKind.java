package dev.tapgrad;

/** The built-in main losses, with Keras's formulas and batch reduction (mean over examples). */
public enum LossKind {
    /** No built-in loss: the model declares a {@link Loss} method. */
    NONE,
    /** {@code -Σ y · log(clip(p, 1e-7, 1 - 1e-7))} per example, averaged over the batch; needs probabilities. */
    CATEGORICAL_CROSSENTROPY,
    /** Mean squared error over the last axis, averaged over the batch. */
    MSE
}
