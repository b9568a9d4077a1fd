package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.util.List;

/**
 * An optimizer's configuration (learning rate or {@link Schedule}, momentum, ...). It holds no
 * per-parameter state, so one instance can be reused by several {@code fit} calls; the state lives
 * in an {@link OptimizerState}, which the model keeps between calls.
 */
public interface Optimizer {
    /**
     * Allocates fresh per-parameter state (velocities, moments) for {@code params}.
     *
     * @return the updater that applies one step from the parameters' current gradients
     */
    Updater start(List<Parameter> params);

    /**
     * The updater for {@code params} continuing {@code state}: its step count and slots are used and
     * advanced in place, so a later call continues where this one stopped. The default (for an
     * optimizer written before states existed) ignores the state and starts afresh.
     */
    default Updater start(List<Parameter> params, OptimizerState state) {
        return start(params);
    }

    /** The optimizer's kind, which names its state's slots in backups ({@code "Adam"}). */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** The learning-rate schedule (a constant one for {@code lr(double)}), or null if this optimizer has none. */
    default Schedule schedule() {
        return null;
    }
}
