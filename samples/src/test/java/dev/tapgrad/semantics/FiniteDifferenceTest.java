package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated gradients against central finite differences of the total loss, independent of
 * PyTorch: along random directions through all parameters at once, and per parameter at random
 * entries. The model computes in float32, so the difference quotient is formed in double and the
 * tolerance allows for the float32 rounding of the loss (a few ulps of L divided by 2h).
 */
class FiniteDifferenceTest {
    private static final double H = 1e-3;

    @TempDir Path dir;

    @Test
    void sparseNetWithAuxLoss() throws Exception {
        SparseNetGraph m = new SparseNetGraph(1);
        m.load(Fixtures.copy("TinyCnn", "weights.safetensors", dir));
        List<Parameter> params = new ArrayList<>(m.conv1.parameters());
        params.addAll(m.out.parameters());
        check("TinyCnn", params, m::gradients);
    }

    @Test
    void stridedCnnWithTwoAuxLossesAndSamePadding() throws Exception {
        StridedNetGraph m = new StridedNetGraph(1);
        m.load(Fixtures.copy("StridedCnn", "weights.safetensors", dir));
        List<Parameter> params = new ArrayList<>(m.conv1.parameters());
        params.addAll(m.out.parameters());
        check("StridedCnn", params, m::gradients);
    }

    @Test
    void multiTapAndParameterTaps() {
        MultiTapNetGraph m = new MultiTapNetGraph(5);
        List<Parameter> params = new ArrayList<>(m.conv1.parameters());
        params.addAll(m.hidden.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(3);
        Tensor x = Tensor.randn(r, 6, 6, 6, 2);
        int[] labels = {0, 3, 1, 2, 3, 1};
        Tensor y = dev.tapgrad.runtime.Dataset.oneHot(labels, 4);
        check("MultiTapNet", params, x, y, m::gradients);
    }

    @Test
    void lossMethodReadingLabelsPredictionsAndATap() {
        CustomLossNetGraph m = new CustomLossNetGraph(2);
        List<Parameter> params = new ArrayList<>(m.hidden.parameters());
        params.addAll(m.intermediate.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(8);
        check("CustomLossNet", params, Tensor.randn(r, 7, 6), Tensor.randn(r, 7, 3), m::gradients);
    }

    @Test
    void dagWithAddConcatenateAndFanOut() {
        ResidualNetGraph m = new ResidualNetGraph(12);
        List<Parameter> params = new ArrayList<>(m.a.parameters());
        params.addAll(m.b.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(10);
        check("ResidualNet", params, Tensor.randn(r, 5, 6), Tensor.randn(r, 5, 3), m::gradients);
    }

    @Test
    void helperMethodsAndConstantTensors() {
        HelperNetGraph m = new HelperNetGraph(9);
        List<Parameter> params = new ArrayList<>(m.hidden.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(4);
        float[] target = HelperNet.TARGET.toArray();
        check("HelperNet", params, Tensor.randn(r, 7, 4), Tensor.randn(r, 7, 2), m::gradients);
        assertArrayEquals(target, HelperNet.TARGET.toArray(), "a constant never changes");
    }

    private void check(String fixture, List<Parameter> params, BiFunction<Tensor, Tensor, Gradients> gradients)
            throws Exception {
        Map<String, Tensor> batch = Fixtures.batch(fixture, dir);
        check(fixture, params, batch.get("x"), batch.get("y"), gradients);
    }

    private void check(String fixture, List<Parameter> params, Tensor x, Tensor y,
            BiFunction<Tensor, Tensor, Gradients> gradients) {
        Gradients g = gradients.apply(x, y);
        double loss = g.loss();
        // The loss is float32: its rounding error, magnified by 1 / 2h, bounds what FD can resolve.
        double noise = 8 * Math.ulp((float) loss) / (2 * H);
        Random random = new Random(11);

        for (int trial = 0; trial < 3; trial++) {
            List<double[]> dir = new ArrayList<>();
            double norm = 0;
            for (Parameter p : params) {
                double[] v = new double[p.value().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = random.nextGaussian();
                    norm += v[i] * v[i];
                }
                dir.add(v);
            }
            norm = Math.sqrt(norm);
            double analytic = 0;
            for (int k = 0; k < params.size(); k++) {
                float[] grad = g.get(params.get(k).name()).toArray();
                double[] v = dir.get(k);
                for (int i = 0; i < v.length; i++) {
                    v[i] /= norm;
                    analytic += grad[i] * v[i];
                }
            }
            double plus = shifted(params, dir, H, x, y, gradients);
            double minus = shifted(params, dir, -H, x, y, gradients);
            double numeric = (plus - minus) / (2 * H);
            assertEquals(analytic, numeric, 2e-3 * Math.abs(analytic) + noise,
                    fixture + ": directional derivative along random direction " + trial);
        }

        for (Parameter p : params) {
            float[] grad = g.get(p.name()).toArray();
            float[] w = p.value().buffer();
            for (int s = 0; s < 4; s++) {
                int i = random.nextInt(w.length);
                float original = w[i];
                w[i] = (float) (original + H);
                double plus = gradients.apply(x, y).loss();
                w[i] = (float) (original - H);
                double minus = gradients.apply(x, y).loss();
                w[i] = original;
                double numeric = (plus - minus) / (2 * H);
                assertEquals(grad[i], numeric, 5e-3 * Math.abs(grad[i]) + noise, fixture + ": " + p.name() + "[" + i + "]");
            }
        }
        double largest = params.stream().mapToDouble(p -> maxAbs(g.get(p.name()))).max().orElse(0);
        assertTrue(noise < 0.01 * largest, "the check resolves gradients: noise " + noise + ", largest " + largest);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double shifted(List<Parameter> params, List<double[]> dir, double h, Tensor x, Tensor y,
            BiFunction<Tensor, Tensor, Gradients> gradients) {
        List<float[]> saved = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
            float[] w = params.get(k).value().buffer();
            saved.add(w.clone());
            double[] v = dir.get(k);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (w[i] + h * v[i]);
            }
        }
        double loss = gradients.apply(x, y).loss();
        for (int k = 0; k < params.size(); k++) {
            System.arraycopy(saved.get(k), 0, params.get(k).value().buffer(), 0, saved.get(k).length);
        }
        return loss;
    }
}
