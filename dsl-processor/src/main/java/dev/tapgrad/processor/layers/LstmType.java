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
 * {@code Lstm}: long short-term memory over (B, steps, features) sequences, Keras gate order i, f,
 * c, o; output (B, steps, units) with {@code returnSequences}, else (B, units); kernel (features,
 * 4·units), recurrent_kernel (units, 4·units), bias (4·units).
 */
public record LstmType() implements LayerType {
    @Override
    public String simpleName() {
        return "Lstm";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(
                Attribute.required("units", Rule.POSITIVE, "units = 64, returnSequences = true", LayerAttributes::units),
                Attribute.optional("returnSequences", Rule.ANY, "false", LayerAttributes::returnSequences));
    }

    @Override
    public List<String> parameterNames() {
        return List.of("kernel", "recurrent_kernel", "bias");
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        Shape in = inputs.get(0);
        List<Integer> d = in.dims();
        if (d.size() != 2) {
            r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.layerShape(simpleName(), layer.name(),
                    "sequences (batch, steps, features)", LayerType.source(from.get(0)), in.toString(),
                    d.size() == 1 ? "declare @Model(input = {steps, features}), e.g. {100, 1}"
                            : "flatten each step's features first"));
            return null;
        }
        LayerAttributes a = layer.attributes();
        return a.returnSequences() ? Shape.batch(d.get(0), a.units()) : Shape.batch(a.units());
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        int u = a.units();
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("kernel", Shape.fixed(inputs.get(0).dims().get(1), 4 * u));
        out.put("recurrent_kernel", Shape.fixed(u, 4 * u));
        out.put("bias", Shape.fixed(4 * u));
        return out;
    }

    /** {@code new Lstm(name, steps, features, units, returnSequences)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        List<Integer> in = inputs.get(0).dims();
        return List.of(in.get(0), in.get(1), a.units(), a.returnSequences());
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
