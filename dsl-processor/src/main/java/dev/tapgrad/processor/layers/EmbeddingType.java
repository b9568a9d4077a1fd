package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.List;
import java.util.Map;

/**
 * {@code Embedding}: integer ids (B, steps), stored as floats, to their vectors (B, steps, units),
 * Keras's {@code Embedding}; embeddings (vocabulary, units). Ids get no gradient, so the layer's
 * backward takes no input gradient.
 */
public record EmbeddingType() implements LayerType {
    @Override
    public String simpleName() {
        return "Embedding";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(
                Attribute.required("vocabulary", Rule.POSITIVE, "vocabulary = 1000, units = 32", LayerAttributes::vocabulary),
                Attribute.required("units", Rule.POSITIVE, "vocabulary = 1000, units = 32", LayerAttributes::units));
    }

    @Override
    public List<String> parameterNames() {
        return List.of("embeddings");
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        Shape in = inputs.get(0);
        if (in.dims().size() != 1) {
            r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.layerShape(simpleName(), layer.name(),
                    "ids (batch, steps)", LayerType.source(from.get(0)), in.toString(),
                    "declare @Model(input = {steps}) with one id per step, e.g. {100}"));
            return null;
        }
        return Shape.batch(in.dims().get(0), layer.attributes().units());
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        return Map.of("embeddings", Shape.fixed(a.vocabulary(), a.units()));
    }

    /** {@code new Embedding(name, vocabulary, units)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.of(a.vocabulary(), a.units());
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT_GRADIENT);
    }
}
