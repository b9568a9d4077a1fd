package dev.tapgrad.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' steps on parameters large enough to be cut into spans and shared between the
 * threads give, bit for bit, the float loop they replaced (written out here value by value, in
 * the order of Keras's formulas), whichever thread ran which span.
 */
class SharedStepsTest {
    private static final int BIG = 100_003; // several spans, and above the size that is shared
    private static final int STEPS = 3;

    @Test
    void adamMatchesTheFloatLoopBitForBit() {
        assertSteps(Adam.lr(2e-3), 0);
    }

    @Test
    void adamWMatchesTheFloatLoopBitForBit() {
        assertSteps(AdamW.lr(2e-3).weightDecay(0.05), 0.05);
    }

    private static void assertSteps(Optimizer optimizer, double decay) {
        Random r = new Random(9);
        List<Parameter> params = List.of(param("a.kernel", r, BIG), param("a.bias", r, 7), param("b.kernel", r, 40_000));
        float[][] w = new float[params.size()][];
        float[][] m = new float[params.size()][];
        float[][] v = new float[params.size()][];
        for (int p = 0; p < w.length; p++) {
            w[p] = params.get(p).value().buffer().clone();
            m[p] = new float[w[p].length];
            v[p] = new float[w[p].length];
        }
        Updater u = optimizer.start(params);
        for (int t = 1; t <= STEPS; t++) {
            for (Parameter p : params) {
                float[] g = p.grad().buffer();
                for (int i = 0; i < g.length; i++) {
                    g[i] = i % 13 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, i % 5 - 3));
                }
            }
            double lr = 2e-3;
            float rate = (float) (lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)));
            float shrink = (float) (lr * decay);
            for (int p = 0; p < w.length; p++) {
                float[] g = params.get(p).grad().buffer();
                for (int i = 0; i < g.length; i++) {
                    if (decay != 0) {
                        w[p][i] -= w[p][i] * shrink;
                    }
                    m[p][i] = 0.9f * m[p][i] + (float) (1 - 0.9) * g[i];
                    v[p][i] = 0.999f * v[p][i] + (float) (1 - 0.999) * g[i] * g[i];
                    w[p][i] -= rate * m[p][i] / ((float) Math.sqrt(v[p][i]) + 1e-7f);
                }
            }
            u.step();
            for (int p = 0; p < w.length; p++) {
                float[] actual = params.get(p).value().buffer();
                for (int i = 0; i < actual.length; i++) {
                    if (Float.floatToRawIntBits(w[p][i]) != Float.floatToRawIntBits(actual[i])) {
                        assertEquals(w[p][i], actual[i], optimizer + " step " + t + ", " + params.get(p).name() + " at " + i);
                    }
                }
            }
        }
    }

    static Parameter param(String name, Random r, int n) {
        Parameter p = new Parameter(name, Tensor.zeros(n));
        float[] w = p.value().buffer();
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return p;
    }
}
