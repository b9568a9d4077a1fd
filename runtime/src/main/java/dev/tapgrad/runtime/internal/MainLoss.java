package dev.tapgrad.runtime.internal;

import dev.tapgrad.LossKind;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.loss.BinaryCrossentropy;
import dev.tapgrad.runtime.loss.CategoricalCrossentropy;
import dev.tapgrad.runtime.loss.MeanAbsoluteError;
import dev.tapgrad.runtime.loss.MeanSquaredError;
import dev.tapgrad.runtime.loss.SparseCategoricalCrossentropy;

/**
 * The built-in main loss of a generated graph, {@code @Model(loss = ...)}: the {@link LossKind}'s
 * kernel in {@code dev.tapgrad.runtime.loss}, the same one the loss-body op of that name runs.
 */
public final class MainLoss {
    private MainLoss() {}

    /**
     * The loss of {@code yPred} against {@code yTrue}, averaged as Keras does. Labels have the
     * predictions' shape, except for the sparse crossentropy: one class id per row.
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     * @throws IllegalArgumentException for {@link LossKind#NONE}, which has no kernel
     */
    public static double valueAndGradient(LossKind kind, Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        return switch (kind) {
            case CATEGORICAL_CROSSENTROPY -> CategoricalCrossentropy.valueAndGradient(yTrue, yPred, grad, scale);
            case SPARSE_CATEGORICAL_CROSSENTROPY ->
                    SparseCategoricalCrossentropy.valueAndGradient(yTrue, yPred, grad, scale, false);
            case BINARY_CROSSENTROPY -> BinaryCrossentropy.valueAndGradient(yTrue, yPred, grad, scale, false);
            case MSE -> MeanSquaredError.valueAndGradient(yTrue, yPred, grad, scale);
            case MAE -> MeanAbsoluteError.valueAndGradient(MeanAbsoluteError.Kind.MAE, yTrue, yPred, grad, scale);
            case HUBER -> MeanAbsoluteError.valueAndGradient(MeanAbsoluteError.Kind.HUBER, yTrue, yPred, grad, scale);
            case NONE -> throw noKernel();
        };
    }

    /**
     * {@link #valueAndGradient} for a model whose output is logits ({@code @Model(fromLogits = true)}):
     * the crossentropies in their stable forms on logits.
     *
     * @throws IllegalArgumentException for a loss that takes no logits (MSE, MAE, Huber) or NONE
     */
    public static double valueAndGradientOfLogits(LossKind kind, Tensor yTrue, Tensor logits, Tensor grad,
            double scale) {
        return switch (kind) {
            case CATEGORICAL_CROSSENTROPY -> CategoricalCrossentropy.valueAndGradientOfLogits(yTrue, logits, grad, scale);
            case SPARSE_CATEGORICAL_CROSSENTROPY ->
                    SparseCategoricalCrossentropy.valueAndGradient(yTrue, logits, grad, scale, true);
            case BINARY_CROSSENTROPY -> BinaryCrossentropy.valueAndGradient(yTrue, logits, grad, scale, true);
            case MSE, MAE, HUBER -> throw new IllegalArgumentException("MainLoss: " + kind + " takes no logits; "
                    + "fromLogits applies to the three crossentropies");
            case NONE -> throw noKernel();
        };
    }

    private static IllegalArgumentException noKernel() {
        return new IllegalArgumentException("MainLoss: LossKind.NONE has no kernel; the model's @Loss method is the main loss");
    }
}
