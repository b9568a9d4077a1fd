package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import java.util.List;
import java.util.Random;

/**
 * Base of the layers without weights (Flatten, Reshape, Add, Concatenate, the poolings, Dropout):
 * no trainable parameters, and so nothing to draw at initialisation.
 */
public abstract class ParameterlessLayer extends AbstractLayer {
    protected ParameterlessLayer(String name) {
        super(name);
    }

    /** None. */
    @Override
    public final List<Parameter> parameters() {
        return List.of();
    }

    /** Draws nothing, so the layers after this one draw the same numbers with or without it. */
    @Override
    public final void initialize(Random random) {
        // no weights
    }
}
