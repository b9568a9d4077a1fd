package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BatchNorm#penalize}: an output penalty computed inside the layer gives what the ops give
 * on the output, as {@link Conv2DPenaltyTest} asks of Conv2D — the penalty's value (to float
 * rounding: the passes sum in float runs and per chunk) and bit for bit the same gradients as
 * adding the penalty's gradient to dL/dout before backward; in training (batch statistics) and in
 * inference (moving ones), with dL/dx added and written, at a size that spans several chunks and
 * threads (the bench's bn1) and at one with a ragged last period.
 */
class BatchNormPenaltyTest {
    @ParameterizedTest(name = "{0}, training={1}, accumulate={2}, {3}x{4}x{4}x{5}")
    @CsvSource({"MEAN_ABS, true, true, 3, 5, 6", "SUM_ABS, true, false, 3, 5, 6", "MEAN_SQUARE, true, true, 3, 5, 6",
            "SUM_SQUARE, false, true, 3, 5, 6", "MEAN_ABS, false, false, 3, 5, 6",
            "MEAN_ABS, true, false, 64, 26, 16", "MEAN_SQUARE, true, false, 64, 24, 32", "SUM_ABS, false, true, 9, 26, 16"})
    void aPenalizedLayerMatchesThePenaltyComputedOnItsOutput(OutputPenalty penalty, boolean training, boolean accumulate,
            int b, int hw, int c) {
        BatchNorm plain = layer(c, training);
        BatchNorm fused = layer(c, training);
        double weight = 0.037;
        fused.penalize(penalty, weight);
        Random random = new Random(5 + c);
        Tensor x = Tensor.randn(random, b, hw, hw, c);
        // some inputs at the batch's own values, as relu zeros are after a Conv2D
        float[] in = x.buffer();
        for (int i = 0; i < in.length; i += 5) {
            in[i] = Math.max(0f, in[i]);
        }
        Tensor gOutStart = Tensor.randn(random, b, hw, hw, c);
        Tensor gxStart = Tensor.randn(random, b, hw, hw, c);

        Tensor outPlain = Tensor.zeros(b, hw, hw, c);
        plain.forward(x, outPlain);
        double expectedValue = penalty.value(outPlain);
        Tensor gPlain = gOutStart.copy();
        penalty.addGradient(outPlain, weight, gPlain);
        Tensor gxPlain = gxStart.copy();
        plain.backward(x, gPlain, gxPlain, accumulate);

        Tensor outFused = Tensor.zeros(b, hw, hw, c);
        fused.forward(x, outFused);
        assertArrayEquals(outPlain.toArray(), outFused.toArray(), "outputs");
        assertEquals(expectedValue, fused.penalty(), 1e-6 * Math.abs(expectedValue), "penalty value");
        Tensor gFused = gOutStart.copy();
        Tensor gxFused = gxStart.copy();
        if (!accumulate) {
            gxFused.fill(Float.NaN); // written, never read
        }
        fused.backward(x, gFused, gxFused, accumulate);

        assertArrayEquals(gOutStart.toArray(), gFused.toArray(), "gOut is read, not written");
        assertArrayEquals(gxPlain.toArray(), gxFused.toArray(), "dL/dx");
        for (int p = 0; p < 2; p++) {
            Parameter a = plain.parameters().get(p);
            Parameter f = fused.parameters().get(p);
            assertArrayEquals(a.grad().toArray(), f.grad().toArray(), a.name() + " gradient");
        }
        assertArrayEquals(plain.state().get(0).value().toArray(), fused.state().get(0).value().toArray(), "moving mean");
    }

    @org.junit.jupiter.api.Test
    void thePenaltyNeedsPenalizeAndAForward() {
        BatchNorm bn = layer(4, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, bn::penalty);
        assertEquals("BatchNorm bn.penalty: no output penalty; call penalize first", e.getMessage());
        bn.penalize(OutputPenalty.MEAN_ABS, 0.1);
        e = assertThrows(IllegalStateException.class, bn::penalty);
        assertEquals("BatchNorm bn.penalty: run forward first", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> bn.penalize(OutputPenalty.MEAN_ABS, Double.POSITIVE_INFINITY));
        assertEquals("BatchNorm bn.penalize: the weight must be finite, got Infinity", bad.getMessage());
    }

    /** gamma and beta away from 1 and 0, moving statistics away from 0 and 1; fit's mode in training. */
    private static BatchNorm layer(int c, boolean training) {
        BatchNorm bn = new BatchNorm("bn", c, 0.9, 1e-3);
        Mode mode = new Mode(0);
        if (training) {
            mode.fitting();
        } else {
            mode.inferring();
        }
        bn.useMode(mode, 0);
        for (int f = 0; f < c; f++) {
            bn.parameters().get(0).value().buffer()[f] = 0.6f + 0.1f * f;
            bn.parameters().get(1).value().buffer()[f] = (f % 3 - 1) * 0.3f;
            bn.state().get(0).value().buffer()[f] = 0.05f * f;
            bn.state().get(1).value().buffer()[f] = 1.5f - 0.02f * f;
        }
        return bn;
    }
}
