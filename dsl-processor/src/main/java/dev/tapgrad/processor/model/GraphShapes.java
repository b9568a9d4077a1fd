package dev.tapgrad.processor.model;

import java.util.List;
import java.util.Map;

/**
 * The shape of every layer's input and output and of every parameter, inferred at compile time
 * (batch dimension symbolic). Codegen sizes its buffers from this.
 */
public record GraphShapes(
        Map<String, Shape> inputs, Map<String, Shape> outputs, Map<String, Shape> parameters, String lastLayer) {
    public GraphShapes {
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }

    /** The output shape of the model: that of the last layer. */
    public Shape output(List<LayerSpec> layers) {
        return outputs.get(layers.get(layers.size() - 1).name());
    }
}
