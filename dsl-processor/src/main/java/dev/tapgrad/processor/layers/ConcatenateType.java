package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Concatenate}: joins two or more inputs (B, ..., d_k) with equal leading dimensions along the
 * last axis into (B, ..., Σ d_k); no parameters.
 */
public record ConcatenateType() implements LayerType {
    @Override
    public String simpleName() {
        return "Concatenate";
    }

    @Override
    public boolean merges() {
        return true;
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        if (!Merges.fit(layer, inputs, from, r, ConcatenateType::sameLeading,
                "Concatenate joins the last axis and needs the other axes equal")) {
            return null;
        }
        List<Integer> first = inputs.get(0).dims();
        List<Integer> dims = new ArrayList<>(first.subList(0, first.size() - 1));
        dims.add(inputs.stream().mapToInt(s -> s.dims().get(s.dims().size() - 1)).sum());
        return new Shape(true, dims);
    }

    private static boolean sameLeading(Shape s, Shape first) {
        return s.rank() == first.rank()
                && s.dims().subList(0, s.dims().size() - 1).equals(first.dims().subList(0, first.dims().size() - 1));
    }

    /** {@code backward(inputs, gOut, gInputs)}: the inputs give each slice's width. */
    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
