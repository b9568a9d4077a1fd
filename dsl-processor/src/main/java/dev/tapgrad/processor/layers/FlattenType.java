package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.List;

/**
 * {@code Flatten}: (B, d1, d2, ...) to (B, d1·d2·...) in row-major order; no parameters. Its output
 * is a view of its input's values, so it costs nothing.
 */
public record FlattenType() implements LayerType {
    @Override
    public String simpleName() {
        return "Flatten";
    }

    @Override
    public boolean outputViewsInput() {
        return true;
    }

    /** Any input flattens. */
    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        return Shape.batch((int) inputs.get(0).exampleSize());
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
