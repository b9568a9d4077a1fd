package dev.tapgrad.runtime.f64;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import java.util.function.Function;

/**
 * Float64 finite differences of a double reference, against a float32 analytic gradient.
 *
 * <p>The reference evaluates the same function as the code under test in double, at the same
 * (float-valued) point, so central differences with step {@value #H} have truncation error
 * ~h²·f''' and rounding error ~1e-16·|f|/h, both below 1e-9 here: the numeric side is exact for
 * our purposes. What remains is the float32 rounding of the analytic gradient: each entry is a sum
 * of products rounded at ~6e-8 relative per operation, over at most a few hundred terms, so
 * {@value #RELATIVE} relative plus an absolute floor of {@value #FLOOR} times the largest gradient
 * entry (for entries that cancel to near zero) bounds it with room to spare, while a wrong
 * adjoint is off by O(1) relative. The reference's own value is first checked against the float
 * forward ({@link #assertSameValues}), so it provably computes the same function.
 */
public final class Check64 {
    /** The central-difference step, in double. */
    public static final double H = 1e-6;
    /** Allowed relative error of a float32 gradient entry. */
    public static final double RELATIVE = 1e-4;
    /** Allowed absolute error, as a fraction of the largest gradient entry. */
    public static final double FLOOR = 1e-5;
    /** Allowed relative error of a float32 forward value against the reference. */
    public static final double VALUE_RELATIVE = 1e-5;

    private Check64() {}

    /** A scalar function of several double arrays: the reference loss. */
    @FunctionalInterface
    public interface Scalar {
        double at(double[][] arrays);
    }

    /** Exact double copies of float arrays. */
    public static double[][] widen(float[]... arrays) {
        double[][] d = new double[arrays.length][];
        for (int a = 0; a < arrays.length; a++) {
            d[a] = new double[arrays[a].length];
            for (int i = 0; i < d[a].length; i++) {
                d[a][i] = arrays[a][i];
            }
        }
        return d;
    }

    /** {@code Σ out·r}. */
    public static double dot(T64 out, double[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += out.v()[i] * r[i];
        }
        return s;
    }

    /**
     * The float32 values equal the reference's to float rounding: {@value #VALUE_RELATIVE} of each
     * value plus {@code 1e-6} of the largest (a sum that cancels keeps the error of its terms).
     */
    public static void assertSameValues(String what, T64 reference, float[] actual) {
        assertEquals(reference.size(), actual.length, what + ": size");
        double largest = 0;
        for (double v : reference.v()) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < actual.length; i++) {
            double e = reference.v()[i];
            assertEquals(e, actual[i], VALUE_RELATIVE * Math.abs(e) + 1e-6 * largest + 1e-30,
                    what + ": the float forward and the double reference disagree at [" + i + "]");
        }
    }

    /**
     * Every entry of every array, then three random directions through all arrays at once (the
     * JVP/VJP inner product): the float {@code analytic} gradients against central differences
     * of {@code f} at {@code at}.
     */
    public static void gradients(String what, String[] names, double[][] at, float[][] analytic, Scalar f,
            Random random) {
        double largest = 0;
        for (float[] g : analytic) {
            for (float v : g) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        double floor = FLOOR * Math.max(largest, 1e-3);
        for (int a = 0; a < at.length; a++) {
            assertEquals(at[a].length, analytic[a].length, what + " " + names[a] + ": gradient size");
            for (int i = 0; i < at[a].length; i++) {
                double saved = at[a][i];
                at[a][i] = saved + H;
                double plus = f.at(at);
                at[a][i] = saved - H;
                double minus = f.at(at);
                at[a][i] = saved;
                double numeric = (plus - minus) / (2 * H);
                assertEquals(numeric, analytic[a][i], RELATIVE * Math.abs(numeric) + floor,
                        what + ": d/d " + names[a] + "[" + i + "]");
            }
        }
        for (int trial = 0; trial < 3; trial++) {
            double[][] plus = new double[at.length][];
            double[][] minus = new double[at.length][];
            double predicted = 0;
            double magnitude = 0;
            for (int a = 0; a < at.length; a++) {
                plus[a] = at[a].clone();
                minus[a] = at[a].clone();
                for (int i = 0; i < at[a].length; i++) {
                    double d = random.nextGaussian();
                    plus[a][i] += H * d;
                    minus[a][i] -= H * d;
                    predicted += analytic[a][i] * d;
                    magnitude += Math.abs(analytic[a][i] * d);
                }
            }
            double numeric = (f.at(plus) - f.at(minus)) / (2 * H);
            assertEquals(numeric, predicted, RELATIVE * magnitude + floor,
                    what + ": directional derivative along random direction " + trial);
        }
    }

    /**
     * An op's float adjoints {@code grads} (one per argument, for the cotangent r) against float64
     * central differences of {@code Σ reference(args)·r}, after checking that {@code reference}
     * gives the op's float output {@code out} at {@code args}.
     */
    public static void op(String what, Tensor[] args, Tensor out, float[][] grads, double[] r,
            Function<T64[], T64> reference, Random random) {
        float[][] values = new float[args.length][];
        int[][] shapes = new int[args.length][];
        String[] names = new String[args.length];
        for (int k = 0; k < args.length; k++) {
            values[k] = args[k].toArray();
            shapes[k] = args[k].shape();
            names[k] = "arg" + k;
        }
        Function<double[][], T64> f = a -> {
            T64[] t = new T64[a.length];
            for (int k = 0; k < a.length; k++) {
                t[k] = new T64(a[k], shapes[k]);
            }
            return reference.apply(t);
        };
        double[][] at = widen(values);
        assertSameValues(what + " forward", f.apply(at), out.toArray());
        gradients(what, names, at, grads, a -> dot(f.apply(a), r), random);
    }
}
