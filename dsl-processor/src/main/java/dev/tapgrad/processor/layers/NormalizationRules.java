package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link BatchNormType} and {@link LayerNormType} share: any input to the same shape,
 * normalised on the last axis, with gamma and beta of the last axis's size.
 */
interface NormalizationRules extends LayerType {
    @Override
    default List<String> parameterNames() {
        return List.of("gamma", "beta");
    }

    /** Any input keeps its shape. */
    @Override
    default Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        return inputs.get(0);
    }

    @Override
    default Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("gamma", Shape.fixed(features(inputs)));
        out.put("beta", Shape.fixed(features(inputs)));
        return out;
    }

    /** {@code backward(x, gOut, gx, accumulate)}: with accumulate false, the dx pass stores dL/dx. */
    @Override
    default boolean writesInputGradient() {
        return true;
    }

    /** The normalisation reads its input's statistics of the forward from its own scratch, and x for checks. */
    @Override
    default List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }

    /** The size of the last axis, the one normalised. */
    static int features(List<Shape> inputs) {
        List<Integer> d = inputs.get(0).dims();
        return d.get(d.size() - 1);
    }
}
