package dev.tapgrad.processor.model;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.Origin;
import java.util.List;
import java.util.Map;

/**
 * The {@code @Layer} attribute values of one layer, with the set of attributes the user wrote
 * explicitly (so checks can tell "not set" from "set to the default") and where each one is.
 */
public record LayerAttributes(
        int units,
        int filters,
        List<Integer> kernel,
        List<Integer> strides,
        Padding padding,
        Activation activation,
        Map<String, Origin> explicit,
        boolean returnSequences,
        List<Integer> pool,
        double rate,
        double epsilon,
        double momentum,
        int vocabulary,
        List<Integer> shape) {

    /** Keras's defaults of the attributes that have one, as {@code @Layer} declares them. */
    public static final double DEFAULT_EPSILON = 1e-3;
    /** Keras's default BatchNorm momentum. */
    public static final double DEFAULT_MOMENTUM = 0.99;

    public LayerAttributes {
        kernel = List.copyOf(kernel);
        strides = List.copyOf(strides);
        explicit = Map.copyOf(explicit);
        pool = List.copyOf(pool);
        shape = List.copyOf(shape);
    }

    /** Attributes of a layer that sets none of the attributes added for pooling, dropout, normalisation, embedding and reshape. */
    public LayerAttributes(int units, int filters, List<Integer> kernel, List<Integer> strides, Padding padding,
            Activation activation, Map<String, Origin> explicit, boolean returnSequences) {
        this(units, filters, kernel, strides, padding, activation, explicit, returnSequences, List.of(), 0,
                DEFAULT_EPSILON, DEFAULT_MOMENTUM, 0, List.of());
    }

    /** Attributes of a layer that has no sequence output. */
    public LayerAttributes(int units, int filters, List<Integer> kernel, List<Integer> strides, Padding padding,
            Activation activation, Map<String, Origin> explicit) {
        this(units, filters, kernel, strides, padding, activation, explicit, false);
    }

    /** Where attribute {@code name} is written, or {@code fallback} if it is not written. */
    public Origin originOf(String name, Origin fallback) {
        return explicit.getOrDefault(name, fallback);
    }

    /** Kernel height: the first value, or the only one. */
    public int kernelH() {
        return kernel.isEmpty() ? 0 : kernel.get(0);
    }

    /** Kernel width: the second value, or the only one. */
    public int kernelW() {
        return kernel.isEmpty() ? 0 : kernel.get(kernel.size() > 1 ? 1 : 0);
    }

    /** Vertical stride, default 1. */
    public int strideH() {
        return strides.isEmpty() ? 1 : strides.get(0);
    }

    /** Horizontal stride, default 1. */
    public int strideW() {
        return strides.isEmpty() ? 1 : strides.get(strides.size() > 1 ? 1 : 0);
    }
}
