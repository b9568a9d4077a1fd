package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.List;

/**
 * {@code Dropout}: Keras's {@code Dropout(rate)}, any shape to the same shape; drops while the
 * graph trains ({@code fit}, {@code gradients}) and is the identity in inference.
 */
public record DropoutType() implements LayerType {
    @Override
    public String simpleName() {
        return "Dropout";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(Attribute.required("rate", Rule.OPEN_FRACTION, "rate = 0.5", LayerAttributes::rate));
    }

    /** Any input keeps its shape. */
    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        return inputs.get(0);
    }

    /** {@code new Dropout(name, rate)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.of(a.rate());
    }

    /** The gradient is masked as the output was; the layer keeps the mask. */
    /** {@code backward(..., gx, accumulate)}: with accumulate false, dL/dx overwrites gx. */
    @Override
    public boolean writesInputGradient() {
        return true;
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
