package dev.tapgrad.runtime.kernel.math;

import dev.tapgrad.runtime.kernel.Platform;
import java.lang.invoke.MethodHandles;

/**
 * A relu layer's passes over a run of its output, in place: {@code out = max(out, 0)} forward, and
 * backward {@code g = out > 0 ? g + p : 0}, where {@code p} is the gradient of an L1 or L2 penalty
 * on the output that the layer computes itself ({@code c} for {@code c·Σ|out|}, {@code 2·out·c}
 * for {@code c·Σout²}, nothing for none): the penalty's gradient pass and the relu's derivative in
 * one pass over the output and its gradient instead of two. With the Vector API wherever {@link
 * Platform#vectorUsable} allows, else value by value; both paths give the bits of adding the
 * penalty's gradient first ({@code SumMath.addAbs}, {@code SumMath.addSquare}) and then taking
 * relu's derivative ({@code Activations.backward}), which the tests check.
 */
public final class ReluRows {
    /** No penalty gradient. */
    public static final int NONE = 0;
    /** The gradient of {@code c·Σ|out|}: {@code c} wherever relu passes the gradient (out > 0). */
    public static final int ABS = 1;
    /** The gradient of {@code c·Σout²}: {@code (out·2)·c}. */
    public static final int SQUARE = 2;

    /** What a path provides; {@link VectorReluRows} is loaded by name only where the module is present. */
    interface Impl {
        void forward(float[] out, int from, int to);

        void backward(float[] out, float[] g, int from, int to, int penalty, float c);
    }

    static final Impl PORTABLE = new Portable();
    static final Impl ACTIVE =
            Platform.vectorTwin(MethodHandles.lookup(), Impl.class, "VectorReluRows", PORTABLE);

    private ReluRows() {}

    /** {@code out[i] = max(out[i], 0)} over {@code [from, to)}; NaN stays NaN, as {@code Math.max} keeps it. */
    public static void forward(float[] out, int from, int to) {
        ACTIVE.forward(out, from, to);
    }

    /**
     * {@code g[i] = out[i] > 0 ? g[i] + p(out[i]) : +0} over {@code [from, to)}, where {@code p} is
     * {@code penalty}'s gradient ({@link #NONE}, {@link #ABS} or {@link #SQUARE}) scaled by {@code c}.
     * Where relu's output is positive its input was too, so this is relu's derivative taken at
     * the pre-activation, as {@code Activations.backward} takes it.
     */
    public static void backward(float[] out, float[] g, int from, int to, int penalty, float c) {
        ACTIVE.backward(out, g, from, to, penalty, c);
    }

    /** Which path runs, for benchmarks and logs: "vector" or "portable". */
    public static String pathName() {
        return ACTIVE == PORTABLE ? "portable" : "vector";
    }

    /** Value by value, branch-free (the sign of a relu's input is a coin flip; see Activations.backward). */
    static final class Portable implements Impl {
        @Override
        public void forward(float[] out, int from, int to) {
            for (int i = from; i < to; i++) {
                out[i] = Math.max(out[i], 0f);
            }
        }

        @Override
        public void backward(float[] out, float[] g, int from, int to, int penalty, float c) {
            for (int i = from; i < to; i++) {
                float o = out[i];
                float gi = penalty == NONE ? g[i] : penalty == ABS ? g[i] + c : g[i] + o * 2f * c;
                // all ones unless o is positive: bits(o) − 1 in [0, 0x7f7fffff] exactly then
                int k = Float.floatToRawIntBits(o) - 1;
                int m = (k >> 31) | ((0x7f7fffff - k) >> 31);
                g[i] = Float.intBitsToFloat(Float.floatToRawIntBits(gi) & ~m);
            }
        }
    }
}
