package dev.tapgrad.spark;

import dev.tapgrad.runtime.train.GradientStep;
import java.io.Serializable;

/**
 * What the executors need of the driver's model at a step or a round: its trainable weights and
 * its state (BatchNorm's moving statistics), broadcast together. The state travels too because a
 * worker's training forward moves it from the driver's values, and the driver takes the mean of
 * where the workers moved it.
 */
final class ModelSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;

    final float[][] weights;
    final float[][] state;

    private ModelSnapshot(float[][] weights, float[][] state) {
        this.weights = weights;
        this.state = state;
    }

    /** Copies of {@code step}'s model weights and state. */
    static ModelSnapshot of(GradientStep step) {
        return new ModelSnapshot(step.weights(), step.state());
    }

    /** Overwrites {@code step}'s model weights and state with this snapshot's. */
    void applyTo(GradientStep step) {
        step.setWeights(weights);
        step.setState(state);
    }
}
