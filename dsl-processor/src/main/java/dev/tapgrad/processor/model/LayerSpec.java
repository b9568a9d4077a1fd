package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * One {@code @Layer} field: its name (the field name), type ({@code kind}), attributes, the inputs it names with
 * {@code @Layer(inputs = ...)} (empty: the layer declared before it, or the model input) and
 * where each of those names is written.
 */
public record LayerSpec(
        String name, LayerType kind, LayerAttributes attributes, List<String> inputs, List<Origin> inputOrigins,
        Origin origin) {

    /** The name by which {@code inputs} refers to the model's input. */
    public static final String MODEL_INPUT = "input";

    public LayerSpec {
        inputs = List.copyOf(inputs);
        inputOrigins = List.copyOf(inputOrigins);
    }

    /** A layer wired to the layer declared before it. */
    public LayerSpec(String name, LayerType kind, LayerAttributes attributes, Origin origin) {
        this(name, kind, attributes, List.of(), List.of(), origin);
    }

    /** The dotted name of one of this layer's parameters, e.g. {@code conv1.kernel}. */
    public String parameterName(String param) {
        return name + "." + param;
    }
}
