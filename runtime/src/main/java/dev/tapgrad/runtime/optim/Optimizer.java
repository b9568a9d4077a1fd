package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.util.List;

/**
 * An optimizer's configuration (learning rate, momentum, ...). It holds no per-parameter state, so
 * one instance can be reused by several {@code fit} calls; {@link #start} creates that state.
 */
public interface Optimizer {
    /**
     * Allocates the per-parameter state (velocities, moments) for {@code params}, once.
     *
     * @return the updater that applies one step from the parameters' current gradients
     */
    Updater start(List<Parameter> params);
}
