package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.tapgrad.Activation.LINEAR;
import static dev.tapgrad.Activation.SOFTMAX;
import static dev.tapgrad.Activation.TANH;
import static dev.tapgrad.runtime.f64.Layers64.dense;
import static dev.tapgrad.runtime.f64.Ops64.*;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model whose aux loss bodies use every op family of {@code Ops} (good/OpsInLossBodies.java)
 * compiles cleanly; the generated code calls each op on the class that declares it, with literal
 * axes and flags passed through; and the generated float gradient of the total loss matches float64
 * central differences of a double reference of the model (its value checked against the generated
 * loss), entry by entry and along random directions.
 */
class OpsInLossBodiesTest {
    private static final String MODEL = "demo.OpsInLossBodies";
    private static final List<String> PARAMS = List.of(
            "hidden.kernel", "hidden.bias", "probs.kernel", "probs.bias", "out.kernel", "out.bias");

    private static Compilation compile() {
        return Compile.compile(Compile.resource("good/OpsInLossBodies.java"));
    }

    @Test
    void compilesWithoutWarnings() {
        Compilation c = compile();
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile(MODEL + "Graph").contentsAsUtf8String().contains(
                "Tensor gram = LinearAlgebra.matmul(grid, t7);");
        assertThat(c).generatedSourceFile(MODEL + "Graph").contentsAsUtf8String().contains(
                "Tensor dT1 = Reductions.sumAxisAdjoint(t1, -1, true, t2, dT2);");
        assertThat(c).generatedSourceFile(MODEL + "Graph").contentsAsUtf8String().contains(
                "Tensor dHidden = LinearAlgebra.l2NormalizeAdjoint(hidden, 1, unit, dUnit);");
    }

    @Test
    void generatedGradientMatchesFloat64CentralDifferencesOfTheLoss() throws Exception {
        Compilation c = compile();
        assertThat(c).succeeded();
        Class<?> graph = new GeneratedClasses(c).loadClass(MODEL + "Graph");
        Object model = graph.getConstructor(long.class).newInstance(42L);
        Method gradients = graph.getMethod("gradients", Tensor.class, Tensor.class);
        Random random = new Random(7);
        Tensor x = Tensor.randn(random, 4, 10);
        Tensor y = Tensor.randn(random, 4, 1);

        Gradients g = (Gradients) gradients.invoke(model, x, y);
        assertThat(g.terms().keySet()).containsAtLeast("diversity", "blocks", "calibration", "weights");
        List<Tensor> params = PARAMS.stream().map(p -> parameter(model, p)).toList();
        int[][] shapes = params.stream().map(Tensor::shape).toArray(int[][]::new);
        float[][] analytic = PARAMS.stream().map(p -> g.get(p).toArray()).toArray(float[][]::new);
        T64 xs = T64.of(x);
        T64 ys = T64.of(y);
        Check64.Scalar loss = a -> {
            T64[] p = new T64[a.length];
            for (int k = 0; k < a.length; k++) {
                p[k] = new T64(a[k], shapes[k]);
            }
            return reference(p, xs, ys);
        };
        double[][] at = Check64.widen(params.stream().map(Tensor::toArray).toArray(float[][]::new));
        Check64.assertSameValues("total loss", T64.scalar(loss.at(at)), new float[] {(float) g.loss()});
        Check64.gradients("OpsInLossBodies", PARAMS.toArray(String[]::new), at, analytic, loss, random);
    }

    /** good/OpsInLossBodies.java's total loss in double: the layers, MSE and the four weighted aux bodies. */
    private static double reference(T64[] p, T64 x, T64 y) {
        T64 hidden = dense(x, p[0], p[1], TANH);
        T64 probs = dense(hidden, p[2], p[3], SOFTMAX);
        T64 out = dense(probs, p[4], p[5], LINEAR);

        T64 unit = l2Normalize(hidden, 1);
        double diversity = mean(matmul(unit, transpose(unit))).item();

        T64 norms = sqrt(clip(sum(square(hidden), -1, true), 1e-6, 1e6));
        T64 grid = reshape(div(hidden, norms), -1, 8, 8);
        T64 peaks = max(matmul(grid, transpose(grid)), 2, false);
        T64 lows = min(expandDims(peaks, 1), -1);
        double blocks = mean(logSoftmax(peaks)).item() + mean(mean(exp(lows), 0, true)).item();

        T64 flat = softmax(scale(0.0, probs));
        double calibration = klDivergence(flat, probs).item() + categoricalCrossentropy(flat, probs).item()
                + mse(pow(probs, 2), log(add(probs, flat))).item() - mean(cosineSimilarity(probs, flat, -1)).item();

        T64 kernel = p[2];
        double weights = max(abs(kernel)).item() + mean(reshape(min(kernel, 0, true), 2, -1, 2)).item();

        return mse(y, out).item() + 0.1 * diversity + 0.01 * blocks + 0.1 * calibration + 0.001 * weights;
    }

    private static Tensor parameter(Object model, String name) {
        return GeneratedClasses.parameter(model, name);
    }
}
