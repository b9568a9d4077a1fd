package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences in double of a scalar loss that a layer computes in float, for
 * checking analytic gradients: one value at a time, and along a random direction.
 */
final class GradCheck {
    static final float STEP = 1e-2f;
    static final double RELATIVE = 2e-3;
    static final double ABSOLUTE = 2e-4;

    private GradCheck() {}

    /** {@code Σ out·r} accumulated in double. */
    static double weighted(Tensor out, double[] r) {
        float[] o = out.buffer();
        double l = 0;
        for (int i = 0; i < o.length; i++) {
            l += o[i] * r[i];
        }
        return l;
    }

    /** Compares {@code analytic[i]} with the central difference of {@code loss} in {@code values[i]}, for every i. */
    static void eachValue(String what, float[] values, float[] analytic, DoubleSupplier loss) {
        for (int i = 0; i < values.length; i++) {
            float saved = values[i];
            float plus = saved + STEP;
            float minus = saved - STEP;
            values[i] = plus;
            double lPlus = loss.getAsDouble();
            values[i] = minus;
            double lMinus = loss.getAsDouble();
            values[i] = saved;
            // Divide by the steps actually taken in float, not by the nominal 2h.
            double numeric = (lPlus - lMinus) / ((double) plus - (double) minus);
            assertEquals(numeric, analytic[i], RELATIVE * Math.abs(numeric) + ABSOLUTE, what + "[" + i + "]");
        }
    }

    /**
     * Moves every array at once along a random direction and compares the change of {@code loss}
     * with {@code Σ grad · step}; {@code step} is a small multiple of a Gaussian direction.
     */
    static void randomDirection(String what, float[][] values, float[][] grads, DoubleSupplier loss, Random random,
            double step) {
        float[][] saved = new float[values.length][];
        float[][] plus = new float[values.length][];
        float[][] minus = new float[values.length][];
        double predicted = 0;
        for (int a = 0; a < values.length; a++) {
            saved[a] = values[a].clone();
            plus[a] = new float[values[a].length];
            minus[a] = new float[values[a].length];
            for (int i = 0; i < values[a].length; i++) {
                double d = step * random.nextGaussian();
                plus[a][i] = (float) (saved[a][i] + d);
                minus[a][i] = (float) (saved[a][i] - d);
                predicted += grads[a][i] * ((double) plus[a][i] - (double) minus[a][i]);
            }
        }
        for (int a = 0; a < values.length; a++) {
            System.arraycopy(plus[a], 0, values[a], 0, values[a].length);
        }
        double lPlus = loss.getAsDouble();
        for (int a = 0; a < values.length; a++) {
            System.arraycopy(minus[a], 0, values[a], 0, values[a].length);
        }
        double lMinus = loss.getAsDouble();
        for (int a = 0; a < values.length; a++) {
            System.arraycopy(saved[a], 0, values[a], 0, values[a].length);
        }
        double numeric = lPlus - lMinus;
        assertEquals(numeric, predicted, RELATIVE * Math.abs(numeric) + 1e-5, what + " along a random direction");
    }

    /** Uniform values in [-1, 1]. */
    static float[] uniform(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * random.nextDouble() - 1);
        }
        return v;
    }

    /** Standard normal weights for {@code Σ out·r}, as doubles and as a float gradient tensor. */
    static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian(); // float-representable, so gOut carries exactly r
        }
        return v;
    }

    static Tensor asTensor(double[] r, int... shape) {
        float[] f = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            f[i] = (float) r[i];
        }
        return Tensor.wrap(f, shape);
    }
}
