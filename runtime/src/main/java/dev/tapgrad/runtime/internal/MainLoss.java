package dev.tapgrad.runtime.internal;

import dev.tapgrad.LossKind;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.loss.CategoricalCrossentropy;
import dev.tapgrad.runtime.loss.MeanSquaredError;

/**
 * The built-in main loss of a generated graph, {@code @Model(loss = ...)}: the {@link LossKind}'s
 * kernel in {@code dev.tapgrad.runtime.loss}, the same one the loss-body op of that name runs.
 */
public final class MainLoss {
    private MainLoss() {}

    /**
     * The loss of {@code yPred} against {@code yTrue} (same shapes), averaged as Keras does.
     *
     * @param grad if not null, overwritten with {@code scale · dLoss/dyPred}
     * @throws IllegalArgumentException for {@link LossKind#NONE}, which has no kernel
     */
    public static double valueAndGradient(LossKind kind, Tensor yTrue, Tensor yPred, Tensor grad, double scale) {
        return switch (kind) {
            case CATEGORICAL_CROSSENTROPY -> CategoricalCrossentropy.valueAndGradient(yTrue, yPred, grad, scale);
            case MSE -> MeanSquaredError.valueAndGradient(yTrue, yPred, grad, scale);
            case NONE -> throw new IllegalArgumentException("MainLoss: LossKind.NONE has no kernel; the model's @Loss "
                    + "method is the main loss");
        };
    }
}
