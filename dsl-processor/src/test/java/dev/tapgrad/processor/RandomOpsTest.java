package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Sgd;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code randomNormal} and {@code randomUniform} in a loss body, through the processor: the aux
 * loss {@code sum(mul(k, add(randomNormal(k), randomUniform(k))))} on a kernel {@code k}. Its
 * gradient is the noise {@code n + u} itself, and nothing flows through the draws (their derivative
 * is zero), so {@code Σ grad·k} must equal the term, which ties the backward's noise to the
 * forward's. The main loss adds nothing to the kernel's gradient: the input is all zeros.
 */
class RandomOpsTest {
    private static final String MODEL = "rnd.Noisy";
    private static final int IN = 100;
    private static final int UNITS = 100;

    private static Compilation compilation;

    private static synchronized Compilation compiled() {
        if (compilation == null) {
            compilation = Compile.compile(Compile.source(MODEL,
                    "package rnd;",
                    "import dev.tapgrad.*;",
                    "import dev.tapgrad.runtime.Tensor;",
                    "import dev.tapgrad.runtime.layers.Dense;",
                    "import static dev.tapgrad.LossKind.*;",
                    "import static dev.tapgrad.runtime.Ops.*;",
                    "@Model(input = {" + IN + "}, loss = MSE)",
                    "abstract class Noisy {",
                    "    @Layer(units = " + UNITS + ") Dense hidden;",
                    "    @Layer(units = 1) Dense out;",
                    "    @AuxLoss(tap = \"hidden.kernel\")",
                    "    Tensor noisy(Tensor k) { return sum(mul(k, add(randomNormal(k), randomUniform(k)))); }",
                    "}"));
        }
        return compilation;
    }

    private static TrainableModel model(long seed) throws Exception {
        assertThat(compiled()).succeededWithoutWarnings();
        return (TrainableModel) new GeneratedClasses(compiled()).loadClass(MODEL + "Graph")
                .getConstructor(long.class).newInstance(seed);
    }

    private static Gradients gradients(TrainableModel m) {
        return m.gradients(Tensor.zeros(2, IN), Tensor.zeros(2, 1));
    }

    @Test
    void theDrawsAreConstantsToTheReversePass() {
        assertThat(compiled()).generatedSourceFile(MODEL + "Graph").contentsAsUtf8String()
                .contains("RandomDraws.randomNormal(k)");
        assertThat(compiled()).generatedSourceFile(MODEL + "Graph").contentsAsUtf8String()
                .doesNotContain("randomNormalAdjoint");
    }

    @Test
    void theGradientIsTheNoiseTheForwardDrew() throws Exception {
        TrainableModel m = model(5);
        Gradients g = gradients(m);
        float[] k = GeneratedClasses.parameter(m, "hidden.kernel").buffer();
        float[] grad = g.get("hidden.kernel").buffer();
        double dot = 0;
        for (int i = 0; i < k.length; i++) {
            dot += (double) grad[i] * k[i];
        }
        double term = g.terms().get("noisy");
        assertEquals(term, dot, 1e-4 * Math.abs(term) + 1e-4, "Σ grad·k = Σ k·(n + u), the term");

        // n + u: mean 1/2, variance 1 + 1/12, over 10,000 values (standard errors 0.01 and 0.015)
        double mean = Arrays.stream(toDouble(grad)).average().orElseThrow();
        double variance = Arrays.stream(toDouble(grad)).map(v -> (v - mean) * (v - mean)).sum() / (grad.length - 1);
        assertEquals(0.5, mean, 0.05, "mean of a standard normal plus a uniform [0, 1)");
        assertEquals(1 + 1.0 / 12, variance, 0.08, "variance of a standard normal plus a uniform [0, 1)");
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndFitMovesToNewOnes() throws Exception {
        float[] first = gradients(model(5)).get("hidden.kernel").toArray();
        TrainableModel m = model(5);
        assertArrayEquals(first, gradients(m).get("hidden.kernel").toArray(), "same seed, same draws");
        assertArrayEquals(first, gradients(m).get("hidden.kernel").toArray(), "gradients changes nothing a later step sees");
        assertFalse(Arrays.equals(first, gradients(model(6)).get("hidden.kernel").toArray()), "another seed, other draws");

        m.fit(Dataset.of(Tensor.zeros(2, IN), Tensor.zeros(2, 1)),
                Fit.epochs(1).batchSize(2).optimizer(Sgd.lr(1e-3)).verbose(false));
        assertFalse(Arrays.equals(first, gradients(m).get("hidden.kernel").toArray()), "each training step draws anew");
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
