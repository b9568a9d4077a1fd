package dev.tapgrad;

/**
 * Metrics reported by {@code fit} and {@code evaluate}, keyed by their lower-case name
 * ({@code accuracy}, {@code binary_accuracy}, {@code mae}, ...), each averaged over examples as Keras
 * does: a per-row value (the mean over the last axis), then the mean over rows.
 */
public enum Metric {
    /**
     * Accuracy of the kind that fits the model, resolved as Keras resolves {@code "accuracy"}: with
     * one output unit or the binary crossentropy loss it is {@link #BINARY_ACCURACY}, with the sparse
     * crossentropy loss {@link #SPARSE_CATEGORICAL_ACCURACY}, otherwise {@link #CATEGORICAL_ACCURACY}.
     * Its key stays {@code accuracy}.
     */
    ACCURACY,
    /** Mean absolute error, {@code |yTrue − yPred|} averaged over the last axis and the rows ({@code mae}). */
    MAE,
    /** Mean squared error, {@code (yTrue − yPred)²} averaged over the last axis and the rows ({@code mse}). */
    MSE,
    /**
     * Fraction of outputs whose prediction, thresholded at 0.5 (at 0 on logits, which is the same
     * decision), equals the label, per row over the last axis ({@code binary_accuracy}).
     */
    BINARY_ACCURACY,
    /** Fraction of rows whose arg-max prediction equals the arg-max label ({@code categorical_accuracy}). */
    CATEGORICAL_ACCURACY,
    /** Fraction of rows whose arg-max prediction equals the class id label ({@code sparse_categorical_accuracy}). */
    SPARSE_CATEGORICAL_ACCURACY
}
