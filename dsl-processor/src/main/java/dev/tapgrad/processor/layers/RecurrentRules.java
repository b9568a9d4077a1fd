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
 * What {@link LstmType} and {@link GruType} share: (B, steps, features) sequences to (B, steps,
 * units) with {@code returnSequences}, else (B, units); {@code units} and {@code returnSequences};
 * kernel (features, gates·units), recurrent_kernel (units, gates·units) and a bias whose shape is
 * the type's; {@code new Layer(name, steps, features, units, returnSequences)}.
 */
interface RecurrentRules extends LayerType {
    /** Number of gate blocks in the kernels' columns: 4 for an LSTM, 3 for a GRU. */
    int gates();

    /** The bias's shape for {@code units}. */
    Shape biasShape(int units);

    @Override
    default List<Attribute> attributes() {
        return List.of(
                Attribute.required("units", Rule.POSITIVE, "units = 64, returnSequences = true", LayerAttributes::units),
                Attribute.optional("returnSequences", Rule.ANY, "false", LayerAttributes::returnSequences));
    }

    @Override
    default List<String> parameterNames() {
        return List.of("kernel", "recurrent_kernel", "bias");
    }

    @Override
    default Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
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
    default Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        int u = a.units();
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("kernel", Shape.fixed(inputs.get(0).dims().get(1), gates() * u));
        out.put("recurrent_kernel", Shape.fixed(u, gates() * u));
        out.put("bias", biasShape(u));
        return out;
    }

    /** {@code new Layer(name, steps, features, units, returnSequences)}. */
    @Override
    default List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        List<Integer> in = inputs.get(0).dims();
        return List.of(in.get(0), in.get(1), a.units(), a.returnSequences());
    }

    @Override
    default List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
