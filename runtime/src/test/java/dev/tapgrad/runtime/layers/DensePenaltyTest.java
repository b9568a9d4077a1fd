package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Dense#penalize}: an output penalty computed inside the layer gives what the ops give on
 * the output (the value of {@link OutputPenalty#value}, and bit for bit the gradients of adding
 * {@link OutputPenalty#addGradient} to dL/dout before a plain layer's backward), for relu (where
 * the gradient is added in relu's derivative pass) and the activations that keep the separate
 * pass, with and without the layer overwriting its parameters' gradients. The widths are wide
 * enough for whole vectors and a ragged tail.
 */
class DensePenaltyTest {
    @ParameterizedTest(name = "{0} on {1}, {2}>{3}, overwrite={4}, batch {5}")
    @CsvSource({"MEAN_ABS, RELU, 19, 37, false, 6", "SUM_ABS, RELU, 19, 37, true, 6", "MEAN_SQUARE, RELU, 70, 67, true, 6",
            "SUM_SQUARE, RELU, 5, 3, false, 6", "MEAN_SQUARE, TANH, 19, 37, false, 6", "MEAN_ABS, LINEAR, 19, 37, true, 6",
            "SUM_SQUARE, GELU, 8, 21, false, 6", "MEAN_SQUARE, SOFTMAX, 8, 10, true, 6",
            // 64·2 rows of 300: the relu passes shared between threads, by rows forward and columns backward
            "MEAN_SQUARE, RELU, 20, 300, true, 64", "SUM_ABS, RELU, 20, 300, false, 64"})
    void aPenalizedLayerMatchesThePenaltyComputedOnItsOutput(OutputPenalty penalty, Activation act, int in, int units,
            boolean overwrite, int batch) {
        Dense plain = layer(act, in, units);
        Dense fused = layer(act, in, units);
        if (overwrite) {
            plain.overwriteParameterGradients();
            fused.overwriteParameterGradients();
        }
        double weight = 0.037;
        fused.penalize(penalty, weight);
        Random random = new Random(5);
        Tensor x = Tensor.randn(random, batch, 2, in);
        Tensor gOutStart = Tensor.randn(random, batch, 2, units);
        for (Parameter p : plain.parameters()) {
            p.grad().fill(0.5f); // what an add keeps and an overwrite drops
        }
        for (Parameter p : fused.parameters()) {
            p.grad().fill(0.5f);
        }

        Tensor outPlain = Tensor.zeros(batch, 2, units);
        plain.forward(x, outPlain);
        double expectedValue = penalty.value(outPlain);
        Tensor gPlain = gOutStart.copy();
        penalty.addGradient(outPlain, weight, gPlain);
        Tensor gxPlain = Tensor.zeros(batch, 2, in);
        plain.backward(x, outPlain, gPlain, gxPlain);

        Tensor outFused = Tensor.zeros(batch, 2, units);
        fused.forward(x, outFused);
        assertArrayEquals(outPlain.toArray(), outFused.toArray(), "outputs");
        assertEquals(expectedValue, fused.penalty(), "penalty value");
        Tensor gFused = gOutStart.copy();
        Tensor gxFused = Tensor.zeros(batch, 2, in);
        fused.backward(x, outFused, gFused, gxFused);

        assertArrayEquals(gPlain.toArray(), gFused.toArray(), "dL/dz left in gOut");
        assertArrayEquals(gxPlain.toArray(), gxFused.toArray(), "dL/dx");
        for (int p = 0; p < 2; p++) {
            Parameter a = plain.parameters().get(p);
            Parameter c = fused.parameters().get(p);
            assertArrayEquals(a.grad().toArray(), c.grad().toArray(), a.name() + " gradient");
        }
    }

    /**
     * The relu passes of a large layer, shared between threads, against the same steps written
     * out serially here from the kernels: the product with the bias, relu, then the penalty's
     * gradient, relu's derivative and each bias column summed in row order in double.
     */
    @Test
    void theSharedReluPassesGiveTheSerialBits() {
        int n = 128;
        int in = 24;
        int units = 400;
        Dense d = layer(Activation.RELU, in, units);
        d.overwriteParameterGradients();
        double weight = 0.02;
        d.penalize(OutputPenalty.MEAN_SQUARE, weight);
        Random random = new Random(11);
        Tensor x = Tensor.randn(random, n, in);
        Tensor g = Tensor.randn(random, n, units);
        float[] expectedOut = new float[n * units];
        for (int r = 0; r < n; r++) {
            System.arraycopy(d.bias().buffer(), 0, expectedOut, r * units, units);
        }
        dev.tapgrad.runtime.kernel.gemm.Gemm.gemm(false, false, n, units, in, x.buffer(), d.kernel().buffer(), expectedOut, true);
        for (int i = 0; i < expectedOut.length; i++) {
            expectedOut[i] = Math.max(expectedOut[i], 0f);
        }
        Tensor expectedG = g.copy();
        OutputPenalty.MEAN_SQUARE.addGradient(Tensor.wrap(expectedOut.clone(), n, units), weight, expectedG);
        float[] eg = expectedG.buffer();
        dev.tapgrad.runtime.kernel.math.Activations.backward(Activation.RELU, expectedOut, expectedOut, eg, n, units);
        float[] expectedBias = new float[units];
        for (int j = 0; j < units; j++) {
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += eg[r * units + j];
            }
            expectedBias[j] = (float) sum;
        }

        Tensor out = Tensor.zeros(n, units);
        d.forward(x, out);
        assertArrayEquals(expectedOut, out.toArray(), "relu(x·kernel + bias)");
        d.backward(x, out, g, null);
        assertArrayEquals(eg, g.toArray(), "dL/dz");
        assertArrayEquals(expectedBias, d.parameters().get(1).grad().toArray(), "bias gradient");
    }

    @Test
    void thePenaltyNeedsPenalizeAndAForward() {
        Dense d = layer(Activation.RELU, 4, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, d::penalty);
        assertEquals("Dense fc.penalty: no output penalty; call penalize first", e.getMessage());
        d.penalize(OutputPenalty.MEAN_ABS, 0.1);
        e = assertThrows(IllegalStateException.class, d::penalty);
        assertEquals("Dense fc.penalty: run forward first", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> d.penalize(OutputPenalty.MEAN_ABS, Double.POSITIVE_INFINITY));
        assertEquals("Dense fc.penalize: the weight must be finite, got Infinity", bad.getMessage());
    }

    private static Dense layer(Activation act, int in, int units) {
        Dense d = new Dense("fc", in, units, act);
        d.initialize(new Random(3));
        // A bias that puts some outputs at exactly zero after the relu and most of them positive.
        float[] bias = d.bias().buffer();
        for (int j = 0; j < bias.length; j++) {
            bias[j] = (j % 3) * 0.2f;
        }
        return d;
    }
}
