package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DenseTest {
    private static final int IN = 4;
    private static final int UNITS = 5;
    private static final int[] X_SHAPE = {3, 2, IN};
    private static final int[] OUT_SHAPE = {3, 2, UNITS};

    @Test
    void parametersHaveKerasNamesAndLayouts() {
        Dense d = new Dense("fc1", IN, UNITS, Activation.RELU);
        List<Parameter> p = d.parameters();
        assertEquals("fc1.kernel", p.get(0).name());
        assertEquals("fc1.bias", p.get(1).name());
        assertArrayEquals(new int[] {IN, UNITS}, d.kernel().shape());
        assertArrayEquals(new int[] {UNITS}, d.bias().shape());
        assertTrue(p.get(0).value() == d.kernel() && p.get(1).value() == d.bias());
    }

    @Test
    void initializeIsGlorotUniformWithZeroBias() {
        Dense d = new Dense("fc", 300, 100, Activation.LINEAR);
        d.bias().fill(3f);
        d.initialize(new Random(1));
        double limit = Math.sqrt(6.0 / 400);
        double sumSq = 0;
        float max = 0;
        for (float v : d.kernel().buffer()) {
            assertTrue(Math.abs(v) <= limit, "kernel value " + v + " outside ±" + limit);
            sumSq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        assertEquals(limit * limit / 3, sumSq / d.kernel().size(), 0.02 * limit * limit);
        assertTrue(max > 0.99 * limit);
        assertArrayEquals(new float[UNITS * 20], d.bias().buffer());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LINEAR", "RELU", "TANH", "SIGMOID"})
    void forwardMatchesNaiveAffineMapPerRow(Activation act) {
        Random random = new Random(2);
        Dense d = randomDense(act, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 3 * 2 * IN), X_SHAPE);
        Tensor out = Tensor.zeros(OUT_SHAPE);
        d.forward(x, out);
        double[] z = naive(d, x);
        for (int i = 0; i < z.length; i++) {
            double expected;
            switch (act) {
                case RELU: expected = Math.max(z[i], 0); break;
                case TANH: expected = Math.tanh(z[i]); break;
                case SIGMOID: expected = 1 / (1 + Math.exp(-z[i])); break;
                default: expected = z[i];
            }
            assertEquals(expected, out.buffer()[i], 1e-6, act + " out[" + i + "]");
        }
    }

    @Test
    void softmaxIsOverTheUnitsOfEachRow() {
        Random random = new Random(3);
        Dense d = randomDense(Activation.SOFTMAX, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 3 * 2 * IN), X_SHAPE);
        Tensor out = Tensor.zeros(OUT_SHAPE);
        d.forward(x, out);
        double[] z = naive(d, x);
        for (int r = 0; r < 6; r++) {
            double sum = 0;
            for (int u = 0; u < UNITS; u++) {
                sum += Math.exp(z[r * UNITS + u]);
            }
            for (int u = 0; u < UNITS; u++) {
                assertEquals(Math.exp(z[r * UNITS + u]) / sum, out.buffer()[r * UNITS + u], 1e-6);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsMatchCentralDifferences(Activation act) {
        Random random = new Random(40 + act.ordinal());
        Dense d;
        Tensor x;
        do {
            // Keep every pre-activation at least 0.05 from RELU's kink, so the reference's 1e-6 steps and the float forward stay on one side.
            d = randomDense(act, random);
            x = Tensor.wrap(GradCheck.uniform(random, 3 * 2 * IN), X_SHAPE);
        } while (minAbs(naive(d, x)) < 0.05);
        double[] r = GradCheck.gaussian(random, 3 * 2 * UNITS);
        Tensor out = Tensor.zeros(OUT_SHAPE);
        Tensor gx = Tensor.zeros(X_SHAPE);
        Tensor gOut = GradCheck.asTensor(r, OUT_SHAPE);
        d.forward(x, out);
        d.backward(x, out, gOut, gx);
        float[] gk = d.parameters().get(0).grad().toArray();
        float[] gb = d.parameters().get(1).grad().toArray();

        GradCheck.check(act.toString(), new String[] {"kernel", "bias", "x"},
                new float[][] {d.kernel().buffer(), d.bias().buffer(), x.buffer()},
                new float[][] {gk, gb, gx.toArray()}, out, r,
                a -> Layers64.dense(new T64(a[2], X_SHAPE), new T64(a[0], new int[] {IN, UNITS}),
                        new T64(a[1], new int[] {UNITS}), act), random);
    }

    @Test
    void backwardAccumulatesParameterGradsAndGx() {
        Random random = new Random(5);
        Dense d = randomDense(Activation.TANH, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 3 * 2 * IN), X_SHAPE);
        double[] r = GradCheck.gaussian(random, 3 * 2 * UNITS);
        Tensor out = Tensor.zeros(OUT_SHAPE);
        Tensor gx = Tensor.zeros(X_SHAPE);
        d.forward(x, out);
        d.backward(x, out, GradCheck.asTensor(r, OUT_SHAPE), gx);
        float[] gk1 = d.parameters().get(0).grad().toArray();
        float[] gb1 = d.parameters().get(1).grad().toArray();
        float[] gx1 = gx.toArray();

        d.backward(x, out, GradCheck.asTensor(r, OUT_SHAPE), gx);

        float[] gk2 = d.parameters().get(0).grad().toArray();
        float[] gb2 = d.parameters().get(1).grad().toArray();
        for (int i = 0; i < gk1.length; i++) {
            assertEquals(2 * gk1[i], gk2[i], 1e-6f * (1 + Math.abs(gk1[i])));
        }
        for (int i = 0; i < gb1.length; i++) {
            assertEquals(2 * gb1[i], gb2[i], 1e-6f * (1 + Math.abs(gb1[i])));
        }
        float[] gx2 = gx.toArray();
        for (int i = 0; i < gx1.length; i++) {
            assertEquals(2 * gx1[i], gx2[i], 1e-6f * (1 + Math.abs(gx1[i])), "gx accumulates");
        }
        d.backward(x, out, GradCheck.asTensor(r, OUT_SHAPE), null); // no input gradient wanted
    }

    @Test
    void rankTwoInputWorksAndBadShapesAreNamed() {
        Dense d = randomDense(Activation.LINEAR, new Random(6));
        d.forward(Tensor.zeros(7, IN), Tensor.zeros(7, UNITS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.forward(Tensor.zeros(7, IN + 1), Tensor.zeros(7, UNITS)));
        assertEquals("Dense fc forward: expected x (..., 4) and out (..., 5) with the same leading dimensions, "
                + "got x [7, 5] and out [7, 5]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(7, IN), Tensor.zeros(6, UNITS)));
    }

    @Test
    void backwardWithoutMatchingForwardFails() {
        Dense d = randomDense(Activation.GELU, new Random(7));
        Tensor x = Tensor.zeros(2, IN);
        Tensor out = Tensor.zeros(2, UNITS);
        assertThrows(IllegalStateException.class, () -> d.backward(x, out, Tensor.zeros(2, UNITS), null));
        d.forward(x, out);
        Tensor other = Tensor.zeros(2, IN);
        assertThrows(IllegalStateException.class, () -> d.backward(other, out, Tensor.zeros(2, UNITS), null));
    }

    private static Dense randomDense(Activation act, Random random) {
        Dense d = new Dense("fc", IN, UNITS, act);
        d.initialize(random);
        float[] b = d.bias().buffer();
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (0.5 * random.nextGaussian()); // a zero bias would hide a wrong bias path
        }
        return d;
    }

    /** x · kernel + bias in double, written out directly. */
    private static double[] naive(Dense d, Tensor x) {
        int rows = x.size() / IN;
        float[] xs = x.buffer();
        float[] k = d.kernel().buffer();
        float[] b = d.bias().buffer();
        double[] z = new double[rows * UNITS];
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < UNITS; u++) {
                double s = b[u];
                for (int i = 0; i < IN; i++) {
                    s += (double) xs[r * IN + i] * k[i * UNITS + u];
                }
                z[r * UNITS + u] = s;
            }
        }
        return z;
    }

    private static double minAbs(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double e : v) {
            m = Math.min(m, Math.abs(e));
        }
        return m;
    }
}
