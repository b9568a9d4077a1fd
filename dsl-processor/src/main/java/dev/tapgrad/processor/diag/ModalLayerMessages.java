package dev.tapgrad.processor.diag;

/**
 * The rules of the attributes Dropout, BatchNorm and LayerNorm brought (DESIGN §2 row 6), kept
 * apart from {@link Messages} so that catalogue can be split on its own.
 */
public final class ModalLayerMessages {
    private ModalLayerMessages() {}

    /** Dropout's {@code rate}. */
    public static final String RATE_RULE = "the fraction dropped must be strictly between 0 and 1, e.g. rate = 0.5";

    /** A normalisation's {@code epsilon}. */
    public static final String EPSILON_RULE = "it must be greater than 0, e.g. epsilon = 1e-3 (Keras's default)";

    /** BatchNorm's {@code momentum}. */
    public static final String MOMENTUM_RULE = "it must be between 0 and 1, e.g. momentum = 0.99 (Keras's default)";
}
