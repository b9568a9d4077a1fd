package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.OutputPenalty;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Conv2D#penalize}: an output penalty computed inside the layer gives what the ops give
 * on the output — the penalty's value (to float rounding: the direct kernel sums per image), and
 * bit for bit the same gradients as adding the penalty's gradient to dL/dout before backward.
 */
class Conv2DPenaltyTest {
    @ParameterizedTest(name = "{0} on {1}, direct={2}")
    @CsvSource({"MEAN_ABS, RELU, true", "SUM_ABS, RELU, true", "MEAN_SQUARE, RELU, true", "SUM_SQUARE, RELU, true",
            "MEAN_ABS, RELU, false", "MEAN_SQUARE, TANH, true", "SUM_ABS, LINEAR, false", "MEAN_ABS, LINEAR, true"})
    void aPenalizedLayerMatchesThePenaltyComputedOnItsOutput(OutputPenalty penalty, Activation act, boolean direct) {
        int b = 3;
        Conv2D plain = layer(act, direct);
        Conv2D fused = layer(act, direct);
        double weight = 0.037;
        fused.penalize(penalty, weight);
        Random random = new Random(5);
        Tensor x = Tensor.randn(random, b, 9, 9, 1);
        Tensor gOutStart = Tensor.randn(random, b, 7, 7, 16);

        Tensor outPlain = Tensor.zeros(b, 7, 7, 16);
        plain.forward(x, outPlain);
        double expectedValue = penalty.value(outPlain);
        Tensor gPlain = gOutStart.copy();
        penalty.addGradient(outPlain, weight, gPlain);
        Tensor gxPlain = Tensor.zeros(b, 9, 9, 1);
        plain.backward(x, outPlain, gPlain, gxPlain);

        Tensor outFused = Tensor.zeros(b, 7, 7, 16);
        fused.forward(x, outFused);
        assertArrayEquals(outPlain.toArray(), outFused.toArray(), "outputs");
        assertEquals(expectedValue, fused.penalty(), 1e-6 * Math.abs(expectedValue), "penalty value");
        Tensor gFused = gOutStart.copy();
        Tensor gxFused = Tensor.zeros(b, 9, 9, 1);
        fused.backward(x, outFused, gFused, gxFused);

        assertArrayEquals(gPlain.toArray(), gFused.toArray(), "dL/dz left in gOut");
        assertArrayEquals(gxPlain.toArray(), gxFused.toArray(), "dL/dx");
        for (int p = 0; p < 2; p++) {
            Parameter a = plain.parameters().get(p);
            Parameter c = fused.parameters().get(p);
            assertArrayEquals(a.grad().toArray(), c.grad().toArray(), a.name() + " gradient");
        }
    }

    @org.junit.jupiter.api.Test
    void thePenaltyNeedsPenalizeAndAForward() {
        Conv2D c = layer(Activation.RELU, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::penalty);
        assertEquals("Conv2D conv.penalty: no output penalty; call penalize first", e.getMessage());
        c.penalize(OutputPenalty.MEAN_ABS, 0.1);
        e = assertThrows(IllegalStateException.class, c::penalty);
        assertEquals("Conv2D conv.penalty: run forward first", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> c.penalize(OutputPenalty.MEAN_ABS, Double.NaN));
        assertEquals("Conv2D conv.penalize: the weight must be finite, got NaN", bad.getMessage());
    }

    private static Conv2D layer(Activation act, boolean direct) {
        Conv2D c = new Conv2D("conv", 9, 9, 1, 16, 3, 3, 1, 1, Padding.VALID, act);
        c.initialize(new Random(3));
        // A bias that puts some outputs at exactly zero after the relu and most of them positive.
        float[] bias = c.bias().buffer();
        for (int f = 0; f < bias.length; f++) {
            bias[f] = (f % 3) * 0.2f;
        }
        c.useDirect(direct);
        return c;
    }
}
