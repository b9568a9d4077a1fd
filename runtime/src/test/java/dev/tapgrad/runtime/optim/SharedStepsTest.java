package dev.tapgrad.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' steps on parameters large enough to be cut into spans and shared between the
 * threads give, bit for bit, the float loops they replaced (written out here value by value, in
 * the order of Keras's formulas), whichever thread ran which span.
 */
class SharedStepsTest {
    private static final int BIG = 100_003; // several spans, and above the size that is shared
    private static final int STEPS = 3;
    private static final double LR = 2e-3;

    /** One parameter's update at step {@code t} (from 1), with two state arrays of its size. */
    private interface Reference {
        void step(int t, float[] w, float[] g, float[] s1, float[] s2);
    }

    @Test
    void adamMatchesTheFloatLoopBitForBit() {
        assertSteps(Adam.lr(LR), adam(0));
    }

    @Test
    void adamWMatchesTheFloatLoopBitForBit() {
        assertSteps(AdamW.lr(LR).weightDecay(0.05), adam(0.05));
    }

    @Test
    void sgdMatchesTheFloatLoopsBitForBit() {
        float rate = (float) LR;
        assertSteps(Sgd.lr(LR), (t, w, g, v, unused) -> {
            for (int i = 0; i < w.length; i++) {
                w[i] -= rate * g[i];
            }
        });
        assertSteps(Sgd.lr(LR).momentum(0.9), (t, w, g, v, unused) -> {
            for (int i = 0; i < w.length; i++) {
                v[i] = 0.9f * v[i] - rate * g[i];
                w[i] += v[i];
            }
        });
        assertSteps(Sgd.lr(LR).momentum(0.9).nesterov(), (t, w, g, v, unused) -> {
            for (int i = 0; i < w.length; i++) {
                v[i] = 0.9f * v[i] - rate * g[i];
                w[i] += 0.9f * v[i] - rate * g[i];
            }
        });
    }

    @Test
    void rmsPropMatchesTheFloatLoopsBitForBit() {
        float rate = (float) LR;
        float c = (float) (1 - 0.9);
        assertSteps(RmsProp.lr(LR), (t, w, g, v, unused) -> {
            for (int i = 0; i < w.length; i++) {
                v[i] = 0.9f * v[i] + c * g[i] * g[i];
                w[i] -= rate * g[i] / (float) Math.sqrt(v[i] + 1e-7f);
            }
        });
        assertSteps(RmsProp.lr(LR).momentum(0.5), (t, w, g, v, b) -> {
            for (int i = 0; i < w.length; i++) {
                v[i] = 0.9f * v[i] + c * g[i] * g[i];
                b[i] = 0.5f * b[i] + rate * g[i] / (float) Math.sqrt(v[i] + 1e-7f);
                w[i] -= b[i];
            }
        });
    }

    private static Reference adam(double decay) {
        return (t, w, g, m, v) -> {
            float rate = (float) (LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)));
            float shrink = (float) (LR * decay);
            for (int i = 0; i < w.length; i++) {
                if (decay != 0) {
                    w[i] -= w[i] * shrink;
                }
                m[i] = 0.9f * m[i] + (float) (1 - 0.9) * g[i];
                v[i] = 0.999f * v[i] + (float) (1 - 0.999) * g[i] * g[i];
                w[i] -= rate * m[i] / ((float) Math.sqrt(v[i]) + 1e-7f);
            }
        };
    }

    private static void assertSteps(Optimizer optimizer, Reference reference) {
        Random r = new Random(9);
        List<Parameter> params = List.of(param("a.kernel", r, BIG), param("a.bias", r, 7), param("b.kernel", r, 40_000));
        float[][] w = new float[params.size()][];
        float[][] s1 = new float[params.size()][];
        float[][] s2 = new float[params.size()][];
        for (int p = 0; p < w.length; p++) {
            w[p] = params.get(p).value().buffer().clone();
            s1[p] = new float[w[p].length];
            s2[p] = new float[w[p].length];
        }
        Updater u = optimizer.start(params);
        for (int t = 1; t <= STEPS; t++) {
            for (int p = 0; p < w.length; p++) {
                float[] g = params.get(p).grad().buffer();
                for (int i = 0; i < g.length; i++) {
                    g[i] = i % 13 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, i % 5 - 3));
                }
                reference.step(t, w[p], g, s1[p], s2[p]);
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
