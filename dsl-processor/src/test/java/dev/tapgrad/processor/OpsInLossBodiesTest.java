package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model whose aux loss bodies use every op family of {@code Ops} (good/OpsInLossBodies.java)
 * compiles cleanly; the generated code calls each op on the class that declares it, with literal
 * axes and flags passed through; and the generated gradient of the total loss matches central
 * differences of the loss along a random direction in parameter space.
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
    void generatedGradientMatchesCentralDifferencesOfTheLoss() throws Exception {
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
        double[][] direction = new double[params.size()][];
        double analytic = 0;
        for (int k = 0; k < params.size(); k++) {
            Tensor grad = g.get(PARAMS.get(k));
            direction[k] = new double[grad.size()];
            for (int i = 0; i < direction[k].length; i++) {
                direction[k][i] = random.nextGaussian();
                analytic += grad.buffer()[i] * direction[k][i];
            }
        }
        double h = 1e-3;
        double plus = lossAt(model, gradients, x, y, params, direction, h);
        double minus = lossAt(model, gradients, x, y, params, direction, -h);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, analytic, 5e-3 * Math.abs(numeric) + 1e-4, "directional derivative of the total loss");
    }

    /** The total loss with every parameter moved by {@code step · direction}; the parameters are restored. */
    private static double lossAt(Object model, Method gradients, Tensor x, Tensor y, List<Tensor> params,
            double[][] direction, double step) throws Exception {
        List<Tensor> saved = params.stream().map(Tensor::copy).toList();
        for (int k = 0; k < params.size(); k++) {
            float[] v = params.get(k).buffer();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] + step * direction[k][i]);
            }
        }
        double loss = ((Gradients) gradients.invoke(model, x, y)).loss();
        for (int k = 0; k < params.size(); k++) {
            params.get(k).copyFrom(saved.get(k));
        }
        return loss;
    }

    private static Tensor parameter(Object model, String name) {
        return GeneratedClasses.parameter(model, name);
    }
}
