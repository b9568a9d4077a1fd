package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.Ops64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BatchNorm#penalize}'s fused L1 and L2 output penalties: against PyTorch
 * (runtime/src/test/python/make_bn_penalty_reference.py: the penalty {@code mean(abs(out))} or
 * {@code mean(square(out))} and the gradients of {@code Σ out·r + w·penalty}, within 1e-4
 * relative, as NormLayersTest), and against float64 finite differences of the same loss through
 * {@link Layers64}'s BatchNorm, in training (batch statistics) and in inference.
 */
class BatchNormPenaltyReferenceTest {
    private static final double WEIGHT = 0.37;
    private static Map<String, Tensor> ref;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bn_penalty_reference.safetensors");
        try (InputStream in = BatchNormPenaltyReferenceTest.class.getResourceAsStream("bn_penalty_reference.safetensors")) {
            assertNotNull(in, "bn_penalty_reference.safetensors is missing; run runtime/src/test/python/make_bn_penalty_reference.py");
            Files.copy(in, file);
        }
        ref = Safetensors.read(file);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"abs_train, MEAN_ABS, true", "square_train, MEAN_SQUARE, true", "abs_infer, MEAN_ABS, false",
            "square_infer, MEAN_SQUARE, false"})
    void matchesPyTorch(String name, OutputPenalty penalty, boolean training) {
        Tensor x = ref.get(name + ".x");
        int c = x.dim(-1);
        BatchNorm bn = new BatchNorm("bn", c, 0.9, 1e-3);
        bn.useMode(mode(training), 0);
        bn.parameters().get(0).value().copyFrom(ref.get(name + ".gamma"));
        bn.parameters().get(1).value().copyFrom(ref.get(name + ".beta"));
        bn.state().get(0).value().copyFrom(ref.get(name + ".mm0"));
        bn.state().get(1).value().copyFrom(ref.get(name + ".mv0"));
        bn.penalize(penalty, WEIGHT);
        Tensor out = Tensor.zeros(x.shape());
        bn.forward(x, out);
        Tensor gx = Tensor.zeros(x.shape());
        bn.backward(x, ref.get(name + ".r"), gx);
        float expectedPenalty = ref.get(name + ".penalty").buffer()[0];
        assertEquals(expectedPenalty, bn.penalty(), 1e-5 * expectedPenalty, name + ".penalty");
        assertClose(name + ".out", ref.get(name + ".out").buffer(), out.buffer());
        assertClose(name + ".grad.x", ref.get(name + ".grad.x").buffer(), gx.buffer());
        assertClose(name + ".grad.gamma", ref.get(name + ".grad.gamma").buffer(), bn.parameters().get(0).grad().buffer());
        assertClose(name + ".grad.beta", ref.get(name + ".grad.beta").buffer(), bn.parameters().get(1).grad().buffer());
    }

    @ParameterizedTest(name = "{0}, training={1}")
    @CsvSource({"MEAN_ABS, true", "MEAN_SQUARE, true", "SUM_ABS, false", "SUM_SQUARE, false", "MEAN_SQUARE, false"})
    void matchesFloat64FiniteDifferences(OutputPenalty penalty, boolean training) {
        Random random = new Random(83 + penalty.ordinal() + (training ? 10 : 0));
        int[] shape = {2, 3, 4, 5};
        int c = 5;
        BatchNorm bn = new BatchNorm("bn", c, 0.9, 1e-3);
        bn.useMode(mode(training), 0);
        float[] gamma = GradCheck.uniform(random, c);
        float[] beta = GradCheck.uniform(random, c);
        float[] mean = GradCheck.uniform(random, c);
        float[] variance = GradCheck.uniform(random, c);
        for (int f = 0; f < c; f++) {
            gamma[f] += 1;
            variance[f] += 1.5f;
        }
        System.arraycopy(gamma, 0, bn.parameters().get(0).value().buffer(), 0, c);
        System.arraycopy(beta, 0, bn.parameters().get(1).value().buffer(), 0, c);
        System.arraycopy(mean, 0, bn.state().get(0).value().buffer(), 0, c);
        System.arraycopy(variance, 0, bn.state().get(1).value().buffer(), 0, c);
        bn.penalize(penalty, WEIGHT);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * 3 * 4 * 5), shape);
        Tensor out = Tensor.zeros(shape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(shape);
        bn.forward(x, out);
        bn.backward(x, GradCheck.asTensor(r, shape), gx);
        double[] m = Check64.widen(mean)[0];
        double[] v = Check64.widen(variance)[0];
        GradCheck.Reference reference = a -> {
            T64 g = new T64(a[0], new int[] {c});
            T64 b = new T64(a[1], new int[] {c});
            T64 in = new T64(a[2], shape);
            return training ? Layers64.batchNorm(in, g, b, 1e-3) : Layers64.batchNormInference(in, g, b, m, v, 1e-3);
        };
        double[][] at = Check64.widen(gamma, beta, x.buffer());
        Check64.assertSameValues("forward", reference.forward(at), out.buffer());
        assertEquals(penaltyOf(reference.forward(at), penalty), bn.penalty(), 1e-6 * Math.abs(bn.penalty()), "penalty");
        Check64.gradients("batchNorm " + penalty + (training ? " training" : " inference"),
                new String[] {"gamma", "beta", "x"}, at,
                new float[][] {bn.parameters().get(0).grad().toArray(), bn.parameters().get(1).grad().toArray(), gx.toArray()},
                a -> {
                    T64 y = reference.forward(a);
                    return Check64.dot(y, r) + WEIGHT * penaltyOf(y, penalty);
                }, random);
    }

    private static double penaltyOf(T64 y, OutputPenalty penalty) {
        T64 terms = penalty.squares() ? Ops64.square(y) : Ops64.abs(y);
        return (penalty.averages() ? Ops64.mean(terms) : Ops64.sum(terms)).item();
    }

    private static Mode mode(boolean training) {
        Mode mode = new Mode(0);
        if (training) {
            mode.differentiating();
        } else {
            mode.inferring();
        }
        return mode;
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": size");
        double largest = 0;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]) + 1e-6 * largest + 1e-7, what + "[" + i + "]");
        }
    }
}
