package dev.tapgrad.processor.model;

import java.util.List;
import java.util.Map;

/**
 * The resolved graph: how layers connect, and the shape of every layer's input(s) and output and
 * of every parameter, inferred at compile time (batch dimension symbolic). Codegen sizes its
 * buffers and orders its calls from this.
 */
public record GraphShapes(
        Map<String, List<Shape>> inputs, Map<String, Shape> outputs, Map<String, Shape> parameters, Wiring wiring) {
    public GraphShapes {
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }

    /** Name of the output layer (the last one declared). */
    public String lastLayer() {
        return wiring.output();
    }

    /** The shape of the model's output. */
    public Shape output() {
        return outputs.get(wiring.output());
    }

    /** The shape of a single-input layer's input. */
    public Shape input(String layer) {
        return inputs.get(layer).get(0);
    }
}
