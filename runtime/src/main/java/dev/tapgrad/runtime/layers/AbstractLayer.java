package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import java.util.List;
import java.util.Random;

/**
 * Base of every layer: a name, its parameters and their Keras-default initialisation. Each layer
 * type has its own {@code forward}/{@code backward} methods, called by the generated graph with
 * buffers it preallocated; shapes are documented on each layer.
 */
public abstract class AbstractLayer {
    private final String name;

    protected AbstractLayer(String name) {
        this.name = name;
    }

    /** The layer's name: the field name in the model class. */
    public final String name() {
        return name;
    }

    /** The trainable parameters in Keras order (e.g. kernel, bias); empty for Flatten. */
    public abstract List<Parameter> parameters();

    /** Draws initial values (Keras defaults: Glorot-uniform kernels, zero biases) from {@code random}. */
    public abstract void initialize(Random random);
}
