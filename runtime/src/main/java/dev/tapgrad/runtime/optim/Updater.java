package dev.tapgrad.runtime.optim;

/**
 * An optimizer bound to a list of parameters, with their state. A step allocates nothing, so it
 * can run once per batch on preallocated buffers.
 */
public interface Updater {
    /** Applies one update to every parameter's value from its gradient. */
    void step();

    /**
     * The learning rate the last {@link #step} used (before the first: the one it will use), or NaN
     * for an optimizer that does not say; {@code History} records it per epoch.
     */
    default double learningRate() {
        return Double.NaN;
    }
}
