package dev.tapgrad.runtime.train;

/** A built-in callback that reads a monitored key, which {@code fit} checks before training starts. */
interface Monitoring {
    /** The monitor, or null when this configuration reads none (a checkpoint saved every epoch). */
    Monitor monitor();

    /** The callback's name for messages. */
    default String owner() {
        return getClass().getSimpleName();
    }
}
