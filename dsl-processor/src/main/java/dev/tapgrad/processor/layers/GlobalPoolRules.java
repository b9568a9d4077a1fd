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
 * What the four global poolings share: (B, positions..., channels) to (B, channels), no attributes,
 * no parameters; the runtime constructor takes the input's dimensions.
 */
interface GlobalPoolRules extends LayerType {
    /** 1 for sequences (steps, channels), 2 for images (height, width, channels). */
    int spatialAxes();

    @Override
    default List<Attribute> attributes() {
        return List.of();
    }

    @Override
    default List<String> parameterNames() {
        return List.of();
    }

    @Override
    default Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        Shape in = inputs.get(0);
        List<Integer> d = in.dims();
        if (d.size() != spatialAxes() + 1) {
            boolean images = spatialAxes() == 2;
            r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.layerShape(simpleName(), layer.name(),
                    images ? "images (batch, height, width, channels)" : "sequences (batch, steps, channels)",
                    LayerType.source(from.get(0)), in.toString(), d.size() == 1
                            ? "declare @Model(input = " + (images ? "{height, width, channels}" : "{steps, channels}") + ")"
                            : "use Global" + (simpleName().contains("Max") ? "Max" : "Avg") + "Pool"
                                    + (images ? "1D" : "2D") + " or reshape the input"));
            return null;
        }
        return Shape.batch(d.get(d.size() - 1));
    }

    @Override
    default Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        return Map.of();
    }

    /** {@code new GlobalMaxPool2D(name, height, width, channels)}, or (name, steps, channels) for 1D. */
    @Override
    default List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.copyOf(inputs.get(0).dims());
    }

    /** {@code backward(x, gOut, gx, accumulate)}: with accumulate false, dL/dx overwrites gx. */
    @Override
    default boolean writesInputGradient() {
        return true;
    }

    @Override
    default List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
