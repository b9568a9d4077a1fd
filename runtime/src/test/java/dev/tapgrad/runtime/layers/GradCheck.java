package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.T64;
import java.util.Random;

/**
 * A layer's float32 backward against float64 finite differences of {@code Σ out·r}, where out is
 * the layer's output recomputed in double by a plain-loops reference ({@code Layers64}) of the
 * layer's arrays (kernel, bias, ..., x). The reference's output is first checked against the
 * layer's own float output, so the differences are of the function the layer computes.
 */
final class GradCheck {
    private GradCheck() {}

    /** The layer's output in double as a function of its arrays, in the order given to {@link #check}. */
    @FunctionalInterface
    interface Reference {
        T64 forward(double[][] arrays);
    }

    /**
     * {@code out} (the layer's float forward) equals {@code reference} at {@code values}; and every
     * {@code grads[a][i]} (the layer's float backward for cotangent r) equals the central
     * difference in double of {@code Σ reference·r} in {@code values[a][i]}, value by value and
     * along random directions.
     */
    static void check(String what, String[] names, float[][] values, float[][] grads, Tensor out, double[] r,
            Reference reference, Random random) {
        double[][] at = Check64.widen(values);
        Check64.assertSameValues(what + " forward", reference.forward(at), out.buffer());
        Check64.gradients(what, names, at, grads, a -> Check64.dot(reference.forward(a), r), random);
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
