package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.optim.OptimizerState;

/**
 * What {@code fit} leaves on a model for the next {@code fit}, as Keras keeps it on the model and
 * its optimizer: the optimizer's state (moments, step count, a learning rate set while training)
 * and the number of epochs trained, which picks each epoch's shuffle. So a loop of one-epoch fits
 * trains as one fit of as many epochs, and a backup holds all of it.
 */
public final class TrainingState {
    private final OptimizerState optimizer = new OptimizerState();
    private long epochs;
    private Optimizer lastOptimizer;

    /** A model that has not been trained: no epochs, an empty optimizer state. */
    public TrainingState() {}

    /** The optimizer's state, continued by every {@code fit} whose optimizer is of the same kind. */
    public OptimizerState optimizer() {
        return optimizer;
    }

    /** Epochs completed by {@code fit} on this model, over all calls; epoch {@code e} shuffles with {@code seed + e}. */
    public long epochs() {
        return epochs;
    }

    /** Sets the epochs completed (a backup being restored). */
    void epochs(long epochs) {
        this.epochs = epochs;
    }

    /** Counts one more completed epoch. */
    void epochDone() {
        epochs++;
    }

    /**
     * Prepares the state for a fit with {@code next}: a learning rate set while training (by {@code
     * ReduceLrOnPlateau}) carries over only to the same optimizer settings, as in Keras where it
     * belongs to the optimizer object; moments and step count carry over to any optimizer of the same
     * kind ({@link OptimizerState#adopt}).
     */
    void beginFit(Optimizer next) {
        if (lastOptimizer != null && !lastOptimizer.equals(next)) {
            optimizer.overrideLearningRate(Double.NaN);
        }
        lastOptimizer = next;
    }
}
