package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Origin;

/** One {@code @Layer} field: its name (the field name), kind, attributes and position. */
public record LayerSpec(String name, LayerKind kind, LayerAttributes attributes, Origin origin) {
    /** The dotted name of one of this layer's parameters, e.g. {@code conv1.kernel}. */
    public String parameterName(String param) {
        return name + "." + param;
    }
}
