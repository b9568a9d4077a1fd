package dev.tapgrad.spark;

import dev.tapgrad.runtime.optim.Optimizer;
import java.io.Serializable;

/**
 * Builds the optimizer each worker steps with in parameter-averaging mode; serializable, so that a
 * lambda such as {@code () -> Adam.lr(1e-3)} travels to the executors with the task.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer configuration (its state is created by the worker, once per run). */
    Optimizer create();
}
