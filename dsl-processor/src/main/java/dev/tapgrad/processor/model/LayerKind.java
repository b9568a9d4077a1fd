package dev.tapgrad.processor.model;

import java.util.List;
import java.util.Set;

/**
 * The layer types the processor can build, each with the {@code @Layer} attributes it accepts, the
 * runtime class it becomes and its parameters' Keras names.
 */
public enum LayerKind {
    /** Fully connected layer on the last axis. */
    DENSE("Dense", Set.of("units", "activation"), List.of("kernel", "bias")),
    /** 2-D convolution over NHWC images. */
    CONV2D("Conv2D", Set.of("filters", "kernel", "strides", "padding", "activation"), List.of("kernel", "bias")),
    /** Flattens each example to one axis. */
    FLATTEN("Flatten", Set.of(), List.of()),
    /** Long short-term memory over (steps, features) sequences, Keras gate order i, f, c, o. */
    LSTM("Lstm", Set.of("units", "returnSequences"), List.of("kernel", "recurrent_kernel", "bias")),
    /** Elementwise sum of two or more inputs of one shape. */
    ADD("Add", Set.of(), List.of()),
    /** Joins two or more inputs along the last axis. */
    CONCATENATE("Concatenate", Set.of(), List.of());

    private final String simpleName;
    private final Set<String> attributes;
    private final List<String> parameterNames;

    LayerKind(String simpleName, Set<String> attributes, List<String> parameterNames) {
        this.simpleName = simpleName;
        this.attributes = attributes;
        this.parameterNames = parameterNames;
    }

    /** Simple name of the runtime class in {@code dev.tapgrad.runtime.layers}. */
    public String simpleName() {
        return simpleName;
    }

    /** Whether the layer reads several inputs (and so needs {@code inputs = {...}}). */
    public boolean merges() {
        return this == ADD || this == CONCATENATE;
    }

    /** Names of the {@code @Layer} attributes this layer accepts ({@code inputs} is accepted by all). */
    public Set<String> attributes() {
        return attributes;
    }

    /** Keras names of the parameters, in order. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** The kind whose runtime class has this simple name, or null. */
    public static LayerKind bySimpleName(String name) {
        for (LayerKind k : values()) {
            if (k.simpleName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
