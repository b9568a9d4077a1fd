package dev.tapgrad.semantics;

import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Checks a generated model's float32 gradients against float64 central differences of its total
 * loss, recomputed by an independent double reference of the same model ({@link Reference}: plain
 * loops for the layers, {@code Ops64} for the loss bodies). The reference's loss is first checked
 * against the generated model's float loss, so it provably computes the same function; then every
 * entry of every parameter, and three random directions through all of them, are compared with
 * {@link Check64}'s tolerance (float32 rounding of the analytic gradient).
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /** A model's total loss in double, given its parameters (in the order of the checked list) and a batch. */
    @FunctionalInterface
    public interface Reference {
        double loss(T64[] params, T64 x, T64 y);
    }

    /** Asserts that {@code gradients} at (x, y) agree with float64 finite differences of {@code reference}. */
    public static void check(String fixture, List<Parameter> params, Tensor x, Tensor y,
            BiFunction<Tensor, Tensor, Gradients> gradients, Reference reference) {
        Gradients g = gradients.apply(x, y);
        int n = params.size();
        String[] names = new String[n];
        int[][] shapes = new int[n][];
        float[][] values = new float[n][];
        float[][] analytic = new float[n][];
        for (int k = 0; k < n; k++) {
            Parameter p = params.get(k);
            names[k] = p.name();
            shapes[k] = p.value().shape();
            values[k] = p.value().toArray();
            analytic[k] = g.get(p.name()).toArray();
        }
        T64 xs = T64.of(x);
        T64 ys = T64.of(y);
        Check64.Scalar loss = a -> {
            T64[] t = new T64[n];
            for (int k = 0; k < n; k++) {
                t[k] = new T64(a[k], shapes[k]);
            }
            return reference.loss(t, xs, ys);
        };
        double[][] at = Check64.widen(values);
        Check64.assertSameValues(fixture + " total loss", T64.scalar(loss.at(at)), new float[] {(float) g.loss()});
        Check64.gradients(fixture, names, at, analytic, loss, new Random(11));
    }
}
