package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.LayerTypeMessages;
import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Conv1D}: a 1-D convolution over (B, steps, channels) sequences to (B, OS, filters), OS as
 * {@link Conv2DType#outputSize}; kernel (k, channels, filters), bias (filters), as Keras's.
 */
public record Conv1DType() implements LayerType {
    private static final String EXAMPLE = "filters = 32, kernel = 3";

    @Override
    public String simpleName() {
        return "Conv1D";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(
                Attribute.required("filters", Rule.POSITIVE, EXAMPLE, LayerAttributes::filters),
                Attribute.required("kernel", Rule.POSITIVE_SINGLE, EXAMPLE, LayerAttributes::kernel),
                Attribute.optional("strides", Rule.POSITIVE_SINGLE, "1", LayerAttributes::strides),
                Attribute.optional("padding", Rule.ANY, "VALID", LayerAttributes::padding),
                Attribute.optional("activation", Rule.ANY, "LINEAR", LayerAttributes::activation));
    }

    @Override
    public List<String> parameterNames() {
        return List.of("kernel", "bias");
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        LayerAttributes a = layer.attributes();
        Shape in = inputs.get(0);
        List<Integer> d = in.dims();
        if (d.size() != 2) {
            r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.layerShape(simpleName(), layer.name(),
                    "sequences (batch, steps, channels)", LayerType.source(from.get(0)), in.toString(),
                    d.size() == 1 ? "declare @Model(input = {steps, channels}), e.g. {100, 1}"
                            : "use Conv2D for images, or reshape to (steps, channels)"));
            return null;
        }
        int os = Conv2DType.outputSize(d.get(0), a.kernelH(), a.strideH(), a.padding());
        if (os <= 0) {
            r.error(Tag.LAYER_SHAPE, a.originOf("kernel", layer.origin()), LayerTypeMessages.windowTooLarge(simpleName(),
                    layer.name(), "kernel", a.kernel(), LayerType.source(from.get(0)), in.toString()));
            return null;
        }
        return Shape.batch(os, a.filters());
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("kernel", Shape.fixed(a.kernelH(), inputs.get(0).dims().get(1), a.filters()));
        out.put("bias", Shape.fixed(a.filters()));
        return out;
    }

    /** {@code new Conv1D(name, steps, channels, filters, kernel, stride, padding, activation)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        List<Integer> in = inputs.get(0).dims();
        return List.of(in.get(0), in.get(1), a.filters(), a.kernelH(), a.strideH(), a.padding(), a.activation());
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
