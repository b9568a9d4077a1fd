package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SummaryTest {
    /**
     * Written by hand, not printed by the code: conv 3·3·1·4 + 4 = 40; bn gamma, beta (trainable)
     * and moving mean, variance (not) of 4 each = 16; flat (6·6·4 = 144) none; hidden 144·10 + 10
     * = 1,450; out 10·3 + 3 = 33. Total 1,539, of which the moving statistics' 8 are not trainable,
     * as Keras counts them. Columns are as wide as their widest cell, three spaces apart.
     */
    @Test
    void summaryIsTheKerasTableWithTheAuxLosses() {
        String expected = """
                Model: "SummaryNet"
                _________________________________________________________________________
                 Layer (type)     Output Shape      Param #   Aux losses (weight)
                =========================================================================
                 conv (Conv2D)    (None, 6, 6, 4)        40   sparsity (0.01), both (0.5)
                 bn (BatchNorm)   (None, 6, 6, 4)        16
                 flat (Flatten)   (None, 144)             0
                 hidden (Dense)   (None, 10)          1,450   both (0.5)
                 out (Dense)      (None, 3)              33   decay (0.001) on kernel
                =========================================================================
                Total params: 1,539
                Trainable params: 1,531
                Non-trainable params: 8
                Loss: categorical_crossentropy + 0.01 * sparsity + 0.001 * decay + 0.5 * both
                _________________________________________________________________________
                """;
        assertEquals(expected, new SummaryNetGraph(1).summary());
    }
}
