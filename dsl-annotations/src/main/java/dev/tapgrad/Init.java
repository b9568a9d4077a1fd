package dev.tapgrad;

/**
 * How a {@link Weight} of a {@link CustomLayer} is initialised, as the Keras initialisers of the
 * same names: fan-in is the product of every dimension but the last, fan-out the last dimension.
 */
public enum Init {
    /** Uniform in ±√(6 / (fanIn + fanOut)), Keras's default for kernels. */
    GLOROT_UNIFORM,
    /** Keras's he_normal: a normal truncated at two standard deviations, standard deviation √(2 / fanIn). */
    HE_NORMAL,
    /** All zeros, as a bias. */
    ZEROS,
    /** All ones, as a scale. */
    ONES
}
