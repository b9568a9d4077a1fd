package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.Shape;
import java.util.List;

/**
 * {@code BatchNorm}: Keras's {@code BatchNormalization} on the last axis; shapes are {@link
 * NormalizationRules}'. Besides gamma and beta the runtime layer keeps the state moving_mean and
 * moving_variance, saved in checkpoints but not trained.
 */
public record BatchNormType() implements NormalizationRules {
    @Override
    public String simpleName() {
        return "BatchNorm";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(
                Attribute.optional("momentum", Rule.FRACTION, "0.99", LayerAttributes::momentum),
                Attribute.optional("epsilon", Rule.POSITIVE_REAL, "1e-3", LayerAttributes::epsilon));
    }

    /** A convolution before it can sum its statistics and write its dL/dx in the convolution's own loops. */
    @Override
    public boolean takesFeed() {
        return true;
    }

    /**
     * The scale-and-shift pass sums |out| or out² while it stores out, and the backward's passes add
     * the penalty's gradient where they read dL/dout: an L1 or L2 aux loss on the output costs no
     * pass of its own.
     */
    @Override
    public boolean takesOutputPenalty() {
        return true;
    }

    /** {@code new BatchNorm(name, features, momentum, epsilon)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.of(NormalizationRules.features(inputs), a.momentum(), a.epsilon());
    }
}
