package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.Shape;
import java.util.List;

/** {@code LayerNorm}: Keras's {@code LayerNormalization} on the last axis; shapes are {@link NormalizationRules}'. */
public record LayerNormType() implements NormalizationRules {
    @Override
    public String simpleName() {
        return "LayerNorm";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(Attribute.optional("epsilon", Rule.POSITIVE_REAL, "1e-3", LayerAttributes::epsilon));
    }

    /** {@code new LayerNorm(name, features, epsilon)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.of(NormalizationRules.features(inputs), a.epsilon());
    }
}
