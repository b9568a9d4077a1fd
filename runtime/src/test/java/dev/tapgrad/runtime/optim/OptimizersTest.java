package dev.tapgrad.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three steps of each optimizer against Keras's formulas iterated by hand in double. */
class OptimizersTest {
    static final double[] W0 = {0.5, -1.0, 2.0, 0.0};
    /** A different gradient each step, including a zero, to exercise the state. */
    static final double[][] GRADS = {{0.1, -0.2, 0.3, 0.0}, {-0.4, 0.5, 0.05, 1.0}, {0.2, 0.2, -0.6, -1.0}};

    private static double[] run(Optimizer optimizer) {
        Parameter p = new Parameter("dense.kernel", Tensor.zeros(2, 2));
        for (int i = 0; i < 4; i++) {
            p.value().buffer()[i] = (float) W0[i];
        }
        Updater u = optimizer.start(List.of(p));
        for (double[] g : GRADS) {
            for (int i = 0; i < 4; i++) {
                p.grad().buffer()[i] = (float) g[i];
            }
            u.step();
        }
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            out[i] = p.value().buffer()[i];
        }
        return out;
    }

    private static double[] sgdByHand(double lr, double m, boolean nesterov) {
        double[] w = W0.clone();
        double[] v = new double[4];
        for (double[] g : GRADS) {
            for (int i = 0; i < 4; i++) {
                v[i] = m * v[i] - lr * g[i];
                w[i] += nesterov ? m * v[i] - lr * g[i] : v[i];
            }
        }
        return w;
    }

    private static double[] adamByHand(double lr, double b1, double b2, double eps) {
        double[] w = W0.clone();
        double[] m = new double[4];
        double[] v = new double[4];
        for (int t = 1; t <= GRADS.length; t++) {
            double[] g = GRADS[t - 1];
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < 4; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
            }
        }
        return w;
    }

    private static void assertClose(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void plainSgd() {
        assertClose(sgdByHand(0.1, 0, false), run(Sgd.lr(0.1)));
        assertEquals(0.5 - 0.1 * (0.1 - 0.4 + 0.2), run(Sgd.lr(0.1))[0], 1e-7);
    }

    @Test
    void sgdWithMomentum() {
        assertClose(sgdByHand(0.1, 0.9, false), run(Sgd.lr(0.1).momentum(0.9)));
    }

    @Test
    void sgdWithNesterovMomentum() {
        assertClose(sgdByHand(0.05, 0.8, true), run(Sgd.lr(0.05).momentum(0.8).nesterov()));
    }

    @Test
    void adamWithKerasDefaults() {
        Adam adam = Adam.lr(0.01);
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-7, adam.epsilon());
        assertClose(adamByHand(0.01, 0.9, 0.999, 1e-7), run(adam));
    }

    @Test
    void adamWithOtherBetas() {
        assertClose(adamByHand(0.1, 0.5, 0.9, 1e-3), run(Adam.lr(0.1).beta1(0.5).beta2(0.9).epsilon(1e-3)));
    }

    @Test
    void eachStartHasItsOwnState() {
        Adam adam = Adam.lr(0.01);
        assertClose(run(adam), run(adam));
        Sgd sgd = Sgd.lr(0.1).momentum(0.9);
        assertClose(run(sgd), run(sgd));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertEquals("Sgd.lr: the learning rate must be finite and > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> Sgd.lr(0)).getMessage());
        assertEquals("Sgd.momentum: must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> Sgd.lr(0.1).momentum(1)).getMessage());
        assertEquals("Adam.lr: the learning rate must be finite and > 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Adam.lr(Double.NaN)).getMessage());
        assertEquals("Adam.beta2: must be in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> Adam.lr(1).beta2(-0.1)).getMessage());
    }
}
