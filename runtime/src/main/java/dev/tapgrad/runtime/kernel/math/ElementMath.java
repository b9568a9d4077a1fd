package dev.tapgrad.runtime.kernel.math;

import dev.tapgrad.runtime.kernel.Platform;
import java.lang.invoke.MethodHandles;

/**
 * The logistic function, tanh, exp and log over runs of a float array, in place: with the Vector
 * API (the JDK's vectorised exp, tanh and log, several values per instruction) wherever {@link
 * Platform#vectorUsable} allows, else in double through loops that C2 vectorises by itself
 * ({@link ExpLoops}: within one float ulp of the exact value). An LSTM evaluates five of them per
 * unit and step, a million per step of the LSTM workload. The two paths agree to float
 * rounding (a few ulps), which the tests check.
 */
public final class ElementMath {
    /** What a path provides; {@link VectorElementMath} is loaded by name only where the module is present. */
    interface Impl {
        void sigmoid(float[] a, int off, int n);

        void tanh(float[] a, int off, int n);

        void log(float[] a, int off, int n);

        void exp(float[] a, int off, int n);
    }

    static final Impl PORTABLE = new Portable();
    static final Impl ACTIVE =
            Platform.vectorTwin(MethodHandles.lookup(), Impl.class, "VectorElementMath", PORTABLE);

    private ElementMath() {}

    /** {@code a[i] = 1 / (1 + exp(−a[i]))} for i in [off, off + n). */
    public static void sigmoid(float[] a, int off, int n) {
        ACTIVE.sigmoid(a, off, n);
    }

    /** {@code a[i] = tanh(a[i])} for i in [off, off + n). */
    public static void tanh(float[] a, int off, int n) {
        ACTIVE.tanh(a, off, n);
    }

    /** {@code a[i] = log(a[i])} for i in [off, off + n). */
    public static void log(float[] a, int off, int n) {
        ACTIVE.log(a, off, n);
    }

    /** {@code a[i] = exp(a[i])} for i in [off, off + n). */
    public static void exp(float[] a, int off, int n) {
        ACTIVE.exp(a, off, n);
    }

    /** Which path runs, for benchmarks and logs: "vector" or "portable". */
    public static String pathName() {
        return ACTIVE == PORTABLE ? "portable" : "vector";
    }

    /**
     * In double, a block of up to 256 values at a time: widened into a double block, through
     * {@link ExpLoops}' loops for σ, tanh and exp (C2 runs them as vectors), rounded back to float.
     * log keeps one {@code Math.log} (an intrinsic, scalar) per value. The widening and rounding are
     * loops of their own: JDK 17's SuperWord vectorises no float-double conversion (JDK 20 and later
     * do), and one conversion in a loop would keep the whole loop scalar. Each function has its own
     * copy of the block walk, so that C2 compiles each from its own profile: one shared walk is
     * compiled from the mix of every caller's (a softmax's exps and a KL loss's logs come in runs
     * of other lengths than a recurrent cell's σ and tanh), and a branch that one workload never
     * took is a deoptimisation for the next one in the same JVM.
     */
    static final class Portable implements Impl {
        private static final int BLOCK = 256;
        private static final ThreadLocal<double[]> WIDE = ThreadLocal.withInitial(() -> new double[BLOCK]);

        @Override
        public void sigmoid(float[] a, int off, int n) {
            double[] w = WIDE.get();
            for (int b = off; b < off + n; b += BLOCK) {
                int len = Math.min(BLOCK, off + n - b);
                for (int q = 0; q < len; q++) {
                    w[q] = a[b + q];
                }
                ExpLoops.sigmoid(w, len);
                for (int q = 0; q < len; q++) {
                    a[b + q] = (float) w[q];
                }
            }
        }

        @Override
        public void tanh(float[] a, int off, int n) {
            double[] w = WIDE.get();
            for (int b = off; b < off + n; b += BLOCK) {
                int len = Math.min(BLOCK, off + n - b);
                for (int q = 0; q < len; q++) {
                    w[q] = a[b + q];
                }
                ExpLoops.tanh(w, len);
                for (int q = 0; q < len; q++) {
                    a[b + q] = (float) w[q];
                }
            }
        }

        @Override
        public void exp(float[] a, int off, int n) {
            double[] w = WIDE.get();
            for (int b = off; b < off + n; b += BLOCK) {
                int len = Math.min(BLOCK, off + n - b);
                for (int q = 0; q < len; q++) {
                    w[q] = a[b + q];
                }
                ExpLoops.exp(w, len);
                for (int q = 0; q < len; q++) {
                    a[b + q] = (float) w[q];
                }
            }
        }

        @Override
        public void log(float[] a, int off, int n) {
            double[] w = WIDE.get();
            for (int b = off; b < off + n; b += BLOCK) {
                int len = Math.min(BLOCK, off + n - b);
                for (int q = 0; q < len; q++) {
                    w[q] = a[b + q];
                }
                // Math.log reads the widened block: a conversion feeding it directly chains every
                // call to the previous one on JDK 17 (the conversion merges into the register the
                // last call wrote), three times slower.
                for (int q = 0; q < len; q++) {
                    a[b + q] = (float) Math.log(w[q]);
                }
            }
        }
    }

    /**
     * tanh of one double through one {@code Math.exp} (the float runs use {@link ExpLoops}), as
     * (1 − e)/(1 + e) with e = exp(−2|x|); {@code Math.tanh} is StrictMath's software routine,
     * several times slower. Relative error below 1e-12 (the cancellation in 1 − e is at most
     * 1.1e-16/(2|x|)); below |x| = 1e-4 it is x − x³/3 (the next term is below 2e-17 of x), and
     * above 20 it is ±1 in double.
     */
    public static double tanh(double x) {
        double a = Math.abs(x);
        if (a < 1e-4) {
            return x * (1 - x * x / 3); // keeps the sign of −0
        }
        if (a > 20) {
            return Math.copySign(1.0, x);
        }
        double e = Math.exp(-2 * a);
        return Math.copySign((1 - e) / (1 + e), x);
    }
}
