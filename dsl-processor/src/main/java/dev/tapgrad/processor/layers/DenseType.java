package dev.tapgrad.processor.layers;

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
 * {@code Dense}: a fully connected layer on the last axis, (B, features) to (B, units) or (B,
 * steps, features) to (B, steps, units); kernel (features, units), bias (units).
 */
public record DenseType() implements LayerType {
    @Override
    public String simpleName() {
        return "Dense";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(
                Attribute.required("units", Rule.POSITIVE, "units = 64", LayerAttributes::units),
                Attribute.optional("activation", Rule.ANY, "LINEAR", LayerAttributes::activation));
    }

    @Override
    public List<String> parameterNames() {
        return List.of("kernel", "bias");
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        Shape in = inputs.get(0);
        List<Integer> d = in.dims();
        if (d.size() != 1 && d.size() != 2) {
            r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.layerShape(simpleName(), layer.name(),
                    "(batch, features) or (batch, steps, features)", LayerType.source(from.get(0)), in.toString(),
                    "add a Flatten before " + layer.name()));
            return null;
        }
        int units = layer.attributes().units();
        return d.size() == 1 ? Shape.batch(units) : Shape.batch(d.get(0), units);
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("kernel", Shape.fixed(features(inputs), a.units()));
        out.put("bias", Shape.fixed(a.units()));
        return out;
    }

    /** {@code new Dense(name, features, units, activation)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.of(features(inputs), a.units(), a.activation());
    }

    /** Its kernel gradient is one GEMM and its bias gradient one sum, so both can be written. */
    @Override
    public boolean writesParameterGradients() {
        return true;
    }

    /**
     * An activity penalty on its output is computed by the layer: its gradient is added in the pass
     * that takes the activation's derivative (relu), not in a pass of its own.
     */
    @Override
    public boolean takesOutputPenalty() {
        return true;
    }

    /** {@code backward(..., gx, accumulate)}: with accumulate false, dL/dx overwrites gx. */
    @Override
    public boolean writesInputGradient() {
        return true;
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }

    private static int features(List<Shape> inputs) {
        List<Integer> d = inputs.get(0).dims();
        return d.get(d.size() - 1);
    }
}
