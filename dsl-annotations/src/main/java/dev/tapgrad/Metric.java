package dev.tapgrad;

/** Metrics reported by {@code fit} and {@code evaluate}, keyed by their lower-case name. */
public enum Metric {
    /** Fraction of examples whose arg-max prediction equals the arg-max label ({@code accuracy}). */
    ACCURACY
}
