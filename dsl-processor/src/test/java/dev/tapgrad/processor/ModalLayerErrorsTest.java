package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 row 6 for Dropout, BatchNorm and LayerNorm, with file and line: a dropout rate outside
 * (0, 1) (the design's example, 1.5), a Dropout without rate, a momentum above 1, an epsilon of 0,
 * and an attribute the type does not take.
 */
class ModalLayerErrorsTest {
    @Test
    void dropoutRateAboveOne() {
        Negative.compile("DropoutRateTooLarge", 1).errorAt(12, 19, "[Tapgrad/LayerAttribute] rate = 1.5 on layer drop is invalid:"
                + " the fraction dropped must be strictly between 0 and 1, e.g. rate = 0.5");
    }

    @Test
    void dropoutNeedsARate() {
        Negative.compile("DropoutWithoutRate", 1).errorAt(12, 20, "[Tapgrad/LayerAttribute] Dropout drop needs rate");
    }

    @Test
    void momentumAboveOne() {
        Negative.compile("BatchNormMomentumTooLarge", 1).errorAt(12, 23, "[Tapgrad/LayerAttribute] momentum = 1.01 on layer bn is"
                + " invalid: it must be between 0 and 1, e.g. momentum = 0.99 (Keras's default)");
    }

    @Test
    void epsilonZero() {
        Negative.compile("LayerNormZeroEpsilon", 1).errorAt(12, 22, "[Tapgrad/LayerAttribute] epsilon = 0.0 on layer ln is"
                + " invalid: it must be greater than 0, e.g. epsilon = 1e-3 (Keras's default)");
    }

    @Test
    void rateIsDropouts() {
        Negative.compile("RateOnBatchNorm", 1).errorAt(12, 19, "[Tapgrad/LayerAttribute] @Layer attribute rate does not apply to BatchNorm bn;"
                + " BatchNorm accepts: epsilon, momentum");
    }
}
