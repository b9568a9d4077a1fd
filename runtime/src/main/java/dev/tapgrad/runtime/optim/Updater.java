package dev.tapgrad.runtime.optim;

/**
 * An optimizer bound to a list of parameters, with their state. A step allocates nothing, so it
 * can run once per batch on preallocated buffers.
 */
public interface Updater {
    /** Applies one update to every parameter's value from its gradient. */
    void step();
}
