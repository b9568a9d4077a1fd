package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.Wiring;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN §2 row 4: infers every layer's output shape from the model input, in declaration order,
 * by each layer type's own rule, which reports a layer that cannot take its input with the shapes
 * and the fix.
 */
public final class LayerShapeCheck {
    private LayerShapeCheck() {}

    /** Inferred shapes and wiring, or null when the wiring or a layer's shapes are wrong (reported). */
    public static GraphShapes run(ModelSpec spec, Report r) {
        Wiring wiring = WiringCheck.run(spec, r);
        if (wiring == null) {
            return null;
        }
        Map<String, List<Shape>> inputs = new HashMap<>();
        Map<String, Shape> outputs = new HashMap<>();
        Map<String, Shape> params = new HashMap<>();
        outputs.put(LayerSpec.MODEL_INPUT, spec.inputShape());
        for (String name : wiring.order()) {
            LayerSpec layer = spec.layer(name).orElseThrow();
            List<String> from = wiring.inputsOf().get(name);
            List<Shape> in = from.stream().map(outputs::get).toList();
            inputs.put(name, in);
            Shape out = layer.kind().outputShape(layer, in, from, r);
            if (out == null) {
                return null;
            }
            outputs.put(name, out);
            layer.kind().parameterShapes(layer.attributes(), in).forEach((p, shape) -> params.put(layer.parameterName(p), shape));
        }
        outputs.remove(LayerSpec.MODEL_INPUT);
        return new GraphShapes(inputs, outputs, params, wiring);
    }
}
