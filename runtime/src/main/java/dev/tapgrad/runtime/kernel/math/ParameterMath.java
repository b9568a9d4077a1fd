package dev.tapgrad.runtime.kernel.math;

import dev.tapgrad.runtime.kernel.Platform;
import java.lang.invoke.MethodHandles;

/**
 * The per-step passes over parameters and their gradients, on a run {@code [from, to)} of the
 * arrays: the finiteness check of a gradient, Adam's update and AdamW's decay. Each step makes
 * them over every parameter (a 512-wide MLP: 670 000 values, several MB), so they run with the
 * Vector API wherever {@link Platform#vectorUsable} allows, else value by value; callers split
 * the parameters into runs and share them between threads ({@code kernel.parallel.Spans}).
 *
 * <p>Both paths do each value's operations in the same order with the same float roundings
 * (no fused multiply-add: Java never contracts {@code a * b + c}, and the vector path calls no
 * {@code fma}), so they give the same bits, which the tests check.
 */
public final class ParameterMath {
    /** What a path provides; {@link VectorParameterMath} is loaded by name only where the module is present. */
    interface Impl {
        boolean allFinite(float[] a, int from, int to);

        void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, AdamStep s);

        void decay(float[] w, int from, int to, float shrink);
    }

    /**
     * One Adam step's constants as floats: {@code m = b1·m + c1·g}, {@code v = b2·v + c2·g·g},
     * {@code w −= rate·m / (√v + eps)}. Mutable so that an optimizer sets it each step without
     * allocating.
     */
    public static final class AdamStep {
        float b1;
        float c1;
        float b2;
        float c2;
        float rate;
        float eps;

        /** Sets the step's constants (see the class comment). */
        public void set(float b1, float c1, float b2, float c2, float rate, float eps) {
            this.b1 = b1;
            this.c1 = c1;
            this.b2 = b2;
            this.c2 = c2;
            this.rate = rate;
            this.eps = eps;
        }
    }

    static final Impl PORTABLE = new Portable();
    static final Impl ACTIVE =
            Platform.vectorTwin(MethodHandles.lookup(), Impl.class, "VectorParameterMath", PORTABLE);

    private ParameterMath() {}

    /** Whether every value of {@code a[from, to)} is finite (no NaN, no infinity). */
    public static boolean allFinite(float[] a, int from, int to) {
        return ACTIVE.allFinite(a, from, to);
    }

    /** Adam's update of {@code w}, {@code m} and {@code v} from {@code g} over {@code [from, to)}, with {@code s}'s constants. */
    public static void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, AdamStep s) {
        ACTIVE.adam(w, g, m, v, from, to, s);
    }

    /** {@code w −= w·shrink} over {@code [from, to)}: decoupled weight decay. */
    public static void decay(float[] w, int from, int to, float shrink) {
        ACTIVE.decay(w, from, to, shrink);
    }

    /**
     * A warm-up pass over this class's kernels on arrays of its own (for the background warm-up
     * of {@code internal.KernelWarmup}): the finiteness check, Adam's update and the decay on
     * 1027 values (C2's thresholds pass within the warm-up's 800 rounds). Why: these run a few times per step on long runs, so C2 takes
     * seconds to compile them, and until then the Vector API runs them as its Java fallback,
     * hundreds of times slower (measured in StepBench mlp128 on 2 threads: the first 3 to 4 s of
     * training, a fifth of the samples, in the fallback's frames). Allocates nothing once compiled.
     */
    public static Runnable warmUpPass() {
        int n = 1024 + 3;
        float[] w = new float[n];
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        java.util.Arrays.fill(g, 1e-3f);
        AdamStep s = new AdamStep();
        s.set(0.9f, 0.1f, 0.999f, 1e-3f, 1e-3f, 1e-7f);
        return () -> {
            if (allFinite(g, 0, n)) {
                adam(w, g, m, v, 0, n, s);
                decay(w, 0, n, 0f);
            }
        };
    }

    /** Which path runs, for benchmarks and logs: "vector" or "portable". */
    public static String pathName() {
        return ACTIVE == PORTABLE ? "portable" : "vector";
    }

    /** Value by value; the loops are simple enough for C2 to vectorise some of them itself. */
    static final class Portable implements Impl {
        /**
         * {@code x · 0} is ±0 for a finite x and NaN for NaN and ±∞, and Math.max keeps a NaN, so
         * the max over the run is zero exactly when every value is finite. A float max reduction
         * without a branch, which C2 vectorises on JDK 17; integer forms over the bits do not
         * vectorise there (C2 17 does not vectorise floatToRawIntBits), and a loop that branches on
         * Float.isFinite per value neither. Measured JDK 17, AVX-512, runs of 4096 to 670,000: 3.5-4×
         * the integer max over the exponent fields it replaces, which was 10-14% of the portable
         * mlp128's step.
         */
        @Override
        public boolean allFinite(float[] a, int from, int to) {
            float max = 0f;
            for (int i = from; i < to; i++) {
                max = Math.max(max, a[i] * 0f);
            }
            return max == 0f;
        }

        @Override
        public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, AdamStep s) {
            float b1 = s.b1;
            float c1 = s.c1;
            float b2 = s.b2;
            float c2 = s.c2;
            float rate = s.rate;
            float eps = s.eps;
            for (int i = from; i < to; i++) {
                float gi = g[i];
                m[i] = b1 * m[i] + c1 * gi;
                v[i] = b2 * v[i] + c2 * gi * gi;
                w[i] -= rate * m[i] / ((float) Math.sqrt(v[i]) + eps);
            }
        }

        @Override
        public void decay(float[] w, int from, int to, float shrink) {
            for (int i = from; i < to; i++) {
                w[i] -= w[i] * shrink;
            }
        }
    }
}
