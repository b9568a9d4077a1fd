package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.kernel.Platform;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both paths of {@link ParameterMath} against the float formulas written out here value by value
 * (the optimizer's loop as it was before the kernels): the same bits, over runs with an offset and
 * a ragged tail, with zeros, subnormals, huge and tiny gradients; and the finiteness check against
 * Float.isFinite for every kind of non-finite float at every position.
 */
class ParameterMathTest {
    private static final int N = 301;

    @Test
    void theVectorPathIsUsedWhereTheGemmVectorKernelIs() {
        if (Platform.vectorUsable()) {
            assertNotSame(ParameterMath.PORTABLE, ParameterMath.ACTIVE);
            assertEquals("vector", ParameterMath.pathName());
        }
    }

    @Test
    void adamGivesTheScalarFormulasBitsOnBothPaths() {
        for (ParameterMath.Impl impl : paths()) {
            Random r = new Random(3);
            float[] w = values(r);
            float[] g = values(r);
            float[] m = values(r);
            float[] v = values(r);
            for (int i = 0; i < N; i++) {
                v[i] = Math.abs(v[i]); // a second moment is never negative
            }
            float[] w2 = w.clone();
            float[] m2 = m.clone();
            float[] v2 = v.clone();
            ParameterMath.AdamStep s = new ParameterMath.AdamStep();
            float b1 = 0.9f;
            float c1 = (float) (1 - 0.9);
            float b2 = 0.999f;
            float c2 = (float) (1 - 0.999);
            float rate = 1.7e-3f;
            float eps = 1e-7f;
            s.set(b1, c1, b2, c2, rate, eps);
            impl.adam(w, g, m, v, 5, N - 3, s);
            for (int i = 5; i < N - 3; i++) {
                float gi = g[i];
                m2[i] = b1 * m2[i] + c1 * gi;
                v2[i] = b2 * v2[i] + c2 * gi * gi;
                w2[i] -= rate * m2[i] / ((float) Math.sqrt(v2[i]) + eps);
            }
            assertBits(impl + " m", m2, m);
            assertBits(impl + " v", v2, v);
            assertBits(impl + " w", w2, w);
        }
    }

    @Test
    void decayGivesTheScalarFormulasBitsOnBothPaths() {
        for (ParameterMath.Impl impl : paths()) {
            float[] w = values(new Random(4));
            float[] w2 = w.clone();
            impl.decay(w, 2, N - 1, 3e-4f);
            for (int i = 2; i < N - 1; i++) {
                w2[i] -= w2[i] * 3e-4f;
            }
            assertBits(impl + " decay", w2, w);
        }
    }

    @Test
    void allFiniteFindsEveryNonFiniteValueInItsRunOnly() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001),
                Float.intBitsToFloat(0x7f800001)};
        for (ParameterMath.Impl impl : paths()) {
            float[] finite = values(new Random(5));
            assertTrue(impl.allFinite(finite, 0, N), impl + " finite values");
            assertTrue(impl.allFinite(finite, 7, 7), impl + " an empty run");
            for (float b : bad) {
                for (int at = 0; at < N; at++) {
                    float[] x = finite.clone();
                    x[at] = b;
                    boolean inside = at >= 3 && at < N - 4;
                    assertEquals(!inside, impl.allFinite(x, 3, N - 4), impl + ": " + b + " at " + at);
                }
            }
            assertFalse(impl.allFinite(new float[] {Float.NaN}, 0, 1), impl + " one NaN");
        }
    }

    /**
     * The finite floats next to the non-finite ones (the largest, whose exponent field is one below
     * all ones, the smallest subnormals, both zeros) are finite, on runs long enough and called often
     * enough for C2 to compile and vectorise the loop (its vector body and its scalar tail both see
     * every value here: each run starts one value later).
     */
    @Test
    void allFiniteAcceptsTheExtremeFiniteValuesAlsoWhenCompiled() {
        float[] edge = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                -Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), 0f, -0f, Math.nextDown(Float.MAX_VALUE)};
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = edge[i % edge.length];
        }
        float[] bad = x.clone();
        bad[bad.length - 2] = Float.NEGATIVE_INFINITY;
        for (ParameterMath.Impl impl : paths()) {
            for (int round = 0; round < 20_000; round++) {
                int from = round % 17;
                if (!impl.allFinite(x, from, x.length) || impl.allFinite(bad, from, x.length)) {
                    throw new AssertionError(impl + ": wrong answer in round " + round + " from " + from);
                }
            }
        }
    }

    /** Gaussians of several scales, with zeros of both signs, subnormals and the largest floats among them. */
    private static float[] values(Random r) {
        float[] x = new float[N];
        float[] special = {0f, -0f, Float.MIN_VALUE, -1e-40f, 1e-30f, 3e30f, -Float.MAX_VALUE / 4, 1f};
        for (int i = 0; i < N; i++) {
            x[i] = i % 11 == 0 ? special[(i / 11) % special.length] : (float) (r.nextGaussian() * Math.pow(10, i % 7 - 3));
        }
        return x;
    }

    private static void assertBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
        assertTrue(Arrays.equals(expected, actual), what);
    }

    private static ParameterMath.Impl[] paths() {
        return ParameterMath.ACTIVE == ParameterMath.PORTABLE ? new ParameterMath.Impl[] {ParameterMath.PORTABLE}
                : new ParameterMath.Impl[] {ParameterMath.PORTABLE, ParameterMath.ACTIVE};
    }
}
