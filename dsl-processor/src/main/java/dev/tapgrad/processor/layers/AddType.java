package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.List;

/** {@code Add}: the elementwise sum of two or more inputs of one shape, which is the output's; no parameters. */
public record AddType() implements LayerType {
    @Override
    public String simpleName() {
        return "Add";
    }

    @Override
    public boolean merges() {
        return true;
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        return Merges.fit(layer, inputs, from, r, Shape::equals, "Add needs inputs of one shape") ? inputs.get(0) : null;
    }

    /** {@code backward(gOut, gInputs)}: the sum's gradient is gOut for every input. */
    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
