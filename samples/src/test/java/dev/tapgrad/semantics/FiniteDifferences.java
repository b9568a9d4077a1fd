package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Checks a generated model's gradients against central finite differences of its total loss:
 * along random directions through all parameters at once, and per parameter at random entries.
 * The model computes in float32, so the difference quotient is formed in double and the tolerance
 * allows for the float32 rounding of the loss (a few ulps of L divided by 2h).
 */
public final class FiniteDifferences {
    private static final double H = 1e-3;

    private FiniteDifferences() {}

    /** Asserts that {@code gradients} at (x, y) agree with finite differences for every parameter in {@code params}. */
    public static void check(String fixture, List<Parameter> params, Tensor x, Tensor y,
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
