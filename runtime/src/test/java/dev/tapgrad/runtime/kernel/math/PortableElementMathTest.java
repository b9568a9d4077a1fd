package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The portable σ, tanh and exp of {@link ElementMath} (the select-free loops of {@link ExpLoops})
 * against references in double built on StrictMath (fdlibm, independent of the code under test):
 * every 1009th float bit pattern over [−100, 100] is within one float ulp of the reference rounded
 * to float, and at most one value in 100,000 is off by that ulp. Why one ulp: the loops' double
 * result is within about 1e-13 relative of the true value, the reference within 1e-15, so the two
 * round to the same float unless the true value lies within ~1e-13 of a halfway point between two
 * floats, where they may round to neighbours (about one value in a million; at most one in 100,000
 * is asserted, which a loop a thousand times less accurate would break). The special values, and
 * values around the clamp points and the ends of float's range, are checked exactly. And the loops
 * after C2 has compiled them (30,000 calls) give the same bits as at the first call, as value by
 * value, and whatever offset or run length a value is processed at.
 */
class PortableElementMathTest {
    private static final ElementMath.Impl PORTABLE = ElementMath.PORTABLE;
    private static final float MIN = Float.MIN_VALUE;
    private static final float NORMAL = Float.MIN_NORMAL;
    private static final float MAX = Float.MAX_VALUE;
    private static final float INF = Float.POSITIVE_INFINITY;

    private enum Fn {
        SIGMOID, TANH, EXP;

        double reference(double x) {
            switch (this) {
                case SIGMOID:
                    return 1 / (1 + StrictMath.exp(-x));
                case TANH:
                    return StrictMath.tanh(x);
                default:
                    return StrictMath.exp(x);
            }
        }

        void run(float[] a, int off, int n) {
            switch (this) {
                case SIGMOID:
                    PORTABLE.sigmoid(a, off, n);
                    break;
                case TANH:
                    PORTABLE.tanh(a, off, n);
                    break;
                default:
                    PORTABLE.exp(a, off, n);
                    break;
            }
        }
    }

    @Test
    void aSweepOfFloatsIsWithinOneUlpAndAlmostAlwaysCorrectlyRounded() {
        for (Fn fn : Fn.values()) {
            int top = Float.floatToRawIntBits(100f);
            float[] x = new float[2 * (top / 1009 + 1)];
            int m = 0;
            for (int bits = 0; bits <= top; bits += 1009) {
                x[m++] = Float.intBitsToFloat(bits);
                x[m++] = -Float.intBitsToFloat(bits);
            }
            float[] y = x.clone();
            fn.run(y, 0, m);
            int offByOne = 0;
            for (int i = 0; i < m; i++) {
                int distance = ulps((float) fn.reference(x[i]), y[i]);
                assertTrue(distance <= 1, fn + "(" + x[i] + ") = " + y[i] + ", reference " + fn.reference(x[i]));
                offByOne += distance;
            }
            assertTrue(offByOne <= m / 100_000, fn + ": " + offByOne + " of " + m + " values off by one ulp");
        }
    }

    @Test
    void specialValuesAreExact() {
        float[] x = {0f, -0f, MIN, -MIN, NORMAL, -NORMAL, MAX, -MAX, INF, -INF, Float.NaN};
        // Each value follows from the definition: σ(±tiny) = 1/2, σ(huge) = 1, σ(−huge) = 0 (below
        // half the smallest denormal); tanh(x) = x to float precision for |x| < 2^−12, ±1 for huge
        // |x|; exp(±tiny) = 1, exp(huge) = ∞, exp(−huge) = 0.
        assertBits(Fn.SIGMOID, x, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1f, 0f, 1f, 0f, Float.NaN);
        assertBits(Fn.TANH, x, 0f, -0f, MIN, -MIN, NORMAL, -NORMAL, 1f, -1f, 1f, -1f, Float.NaN);
        assertBits(Fn.EXP, x, 1f, 1f, 1f, 1f, 1f, 1f, INF, 0f, INF, 0f, Float.NaN);
    }

    @Test
    void valuesAroundTheClampPointsAndRangeEndsAreCorrectlyRounded() {
        // σ: 1 in float from ≈ 17.33, the clamp of −x at 18, denormal from ≈ −87.3, 0 below ≈ −103.97.
        // tanh: ±1 from ≈ ±9.01, the clamp at ±10, tiny values. exp: ∞ above ≈ 88.72, 0 below ≈ −103.97.
        float[] centres = {17.33f, 18f, -18f, -87.34f, -103.97f, -104f, 9.01f, -9.01f, 10f, -10f, 2.4414062E-4f,
            -2.4414062E-4f, 1e-30f, 88.72f, -88.72f, 89f};
        for (Fn fn : Fn.values()) {
            float[] x = new float[centres.length * 41];
            for (int c = 0; c < centres.length; c++) {
                float v = centres[c];
                for (int k = -20; k <= 20; k++) {
                    x[41 * c + 20 + k] = Float.intBitsToFloat(Float.floatToRawIntBits(v) + 3 * k);
                }
            }
            float[] y = x.clone();
            fn.run(y, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits((float) fn.reference(x[i])), Float.floatToRawIntBits(y[i]),
                        fn + "(" + x[i] + ") = " + y[i] + ", reference " + fn.reference(x[i]));
            }
        }
    }

    @Test
    void compiledLoopsGiveTheBitsOfTheFirstCallWhateverTheRunOrOffset() {
        Random random = new Random(5);
        float[] specials = {0f, -0f, MIN, -MIN, NORMAL, MAX, -MAX, INF, -INF, Float.NaN, 18f, -104f, 10f, -10f};
        int n = 300; // more than one 256-value block
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 7 == 0 ? specials[random.nextInt(specials.length)] : (float) (random.nextGaussian() * 12);
        }
        for (Fn fn : Fn.values()) {
            float[] first = x.clone();
            fn.run(first, 0, n);
            float[] y = new float[n + 5];
            for (int call = 0; call < 30_000; call++) {
                int off = call % 5;
                System.arraycopy(x, 0, y, off, n);
                fn.run(y, off, n);
                if (call >= 29_995) {
                    assertArrayEquals(bits(first, 0, n), bits(y, off, n), fn + ", call " + call + " at offset " + off);
                }
            }
            // Value by value (the loops' scalar pre- and post-loop code) and in uneven runs.
            float[] single = x.clone();
            for (int i = 0; i < n; i++) {
                fn.run(single, i, 1);
            }
            assertArrayEquals(bits(first, 0, n), bits(single, 0, n), fn + " value by value");
            float[] uneven = x.clone();
            for (int i = 0, len = 1; i < n; i += len, len = len * 3 % 37 + 1) {
                fn.run(uneven, i, Math.min(len, n - i));
            }
            assertArrayEquals(bits(first, 0, n), bits(uneven, 0, n), fn + " in uneven runs");
        }
    }

    private static void assertBits(Fn fn, float[] x, float... expected) {
        float[] y = x.clone();
        fn.run(y, 0, y.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(y[i]), fn + "(" + x[i] + ") = " + y[i]);
        }
    }

    /** The distance in representable floats; +0 and −0 are 2^31 apart, so a lost sign fails. */
    private static int ulps(float expected, float actual) {
        long a = Float.floatToIntBits(expected);
        long b = Float.floatToIntBits(actual);
        return (int) Math.min(Integer.MAX_VALUE, Math.abs(a - b));
    }

    private static int[] bits(float[] a, int off, int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            b[i] = Float.floatToRawIntBits(a[off + i]);
        }
        return b;
    }
}
