package dev.tapgrad;

/**
 * The built-in main losses, with Keras's formulas and batch reduction: a value per row (the mean
 * over the last axis, or the sum over classes for the crossentropies), then the mean over rows.
 * The term is reported under the kind's lower-case name, e.g. {@code binary_crossentropy}.
 */
public enum LossKind {
    /** No built-in loss: the model declares a {@link Loss} method. */
    NONE,
    /**
     * {@code -Σ y · log(clip(p, 1e-7, 1 - 1e-7))} per example (p renormalised to sum to 1), averaged
     * over the batch; needs probabilities, or logits with {@code @Model(fromLogits = true)}.
     */
    CATEGORICAL_CROSSENTROPY,
    /** Mean squared error over the last axis, averaged over the batch. */
    MSE,
    /**
     * Categorical crossentropy against class ids: labels are integers in [0, classes), of shape
     * (batch) or (batch, 1), rather than one-hot rows.
     */
    SPARSE_CATEGORICAL_CROSSENTROPY,
    /**
     * {@code -(y·log(c) + (1 − y)·log(1 − c))} with {@code c = clip(p, 1e-7, 1 − 1e-7)}, averaged over
     * the last axis, then over the batch; needs probabilities (a sigmoid output), or logits with
     * {@code @Model(fromLogits = true)}.
     */
    BINARY_CROSSENTROPY,
    /** Mean absolute error over the last axis, averaged over the batch. */
    MAE,
    /**
     * Huber loss with delta 1: {@code ½e²} where {@code |e| ≤ 1}, else {@code |e| − ½}, e = p − y,
     * averaged over the last axis, then over the batch.
     */
    HUBER
}
