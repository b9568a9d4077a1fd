package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.tapgrad.runtime.kernel.Platform;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both paths of {@link ElementMath} against the functions in double: within 4 float ulps of the
 * true value (an absolute 1e-37 near zero), exact at the special values, NaN kept, over runs whose
 * length is not a multiple of the vector width (the tail takes the portable path).
 */
class ElementMathTest {
    private static final float[] SPECIAL = {0f, -0f, 1e-30f, -1e-6f, 1e-4f, 0.5f, -0.5f, 1f, -3f, 8.9f, -15f, 20.5f,
            -87f, 88f, 100f, -104f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test
    void theVectorPathIsUsedWhereTheGemmVectorKernelIs() {
        // The runtime's tests run with --add-modules jdk.incubator.vector and C2.
        if (Platform.vectorUsable()) {
            assertNotSame(ElementMath.PORTABLE, ElementMath.ACTIVE);
            assertEquals("vector", ElementMath.pathName());
        }
    }

    @Test
    void sigmoidIsWithinFourUlpsOnBothPaths() {
        for (ElementMath.Impl impl : paths()) {
            float[] x = values();
            float[] y = x.clone();
            impl.sigmoid(y, 3, x.length - 5); // an offset and a ragged tail
            for (int i = 0; i < x.length; i++) {
                double expected = i < 3 || i >= x.length - 2 ? x[i] : 1 / (1 + Math.exp(-(double) x[i]));
                assertClose(impl + " sigmoid(" + x[i] + ")", expected, y[i]);
            }
        }
    }

    @Test
    void tanhIsWithinFourUlpsOnBothPaths() {
        for (ElementMath.Impl impl : paths()) {
            float[] x = values();
            float[] y = x.clone();
            impl.tanh(y, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                assertClose(impl + " tanh(" + x[i] + ")", Math.tanh(x[i]), y[i]);
            }
        }
    }

    @Test
    void logIsWithinFourUlpsOnBothPaths() {
        for (ElementMath.Impl impl : paths()) {
            float[] x = values();
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.abs(x[i]) + (i % 5 == 0 ? 1e-7f : 0f);
            }
            float[] y = x.clone();
            impl.log(y, 1, x.length - 1);
            for (int i = 1; i < x.length; i++) {
                assertClose(impl + " log(" + x[i] + ")", Math.log(x[i]), y[i]);
            }
        }
    }

    @Test
    void expIsWithinFourUlpsOnBothPaths() {
        for (ElementMath.Impl impl : paths()) {
            float[] x = values();
            float[] y = x.clone();
            impl.exp(y, 2, x.length - 2);
            for (int i = 2; i < x.length; i++) {
                assertClose(impl + " exp(" + x[i] + ")", Math.exp(x[i]), y[i]);
            }
        }
    }

    @Test
    void nanStaysNan() {
        for (ElementMath.Impl impl : paths()) {
            float[] a = new float[37];
            a[20] = Float.NaN;
            float[] b = a.clone();
            impl.sigmoid(a, 0, a.length);
            impl.tanh(b, 0, b.length);
            assertEquals(Float.NaN, a[20], impl + " sigmoid");
            assertEquals(Float.NaN, b[20], impl + " tanh");
            assertEquals(0.5f, a[19], impl + " sigmoid(0)");
        }
    }

    private static ElementMath.Impl[] paths() {
        return ElementMath.ACTIVE == ElementMath.PORTABLE ? new ElementMath.Impl[] {ElementMath.PORTABLE}
                : new ElementMath.Impl[] {ElementMath.PORTABLE, ElementMath.ACTIVE};
    }

    private static float[] values() {
        Random r = new Random(17);
        float[] x = new float[SPECIAL.length + 203];
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        for (int i = SPECIAL.length; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 10 : 1));
        }
        return x;
    }

    private static void assertClose(String what, double expected, float actual) {
        double tolerance = Math.max(4 * Math.ulp((float) expected), 1e-37);
        assertEquals(expected, actual, tolerance, what);
    }

    /** The exp-based tanh in double of the portable path agrees with Math.tanh to 1e-12 relative (float needs 6e-8). */
    @Test
    void doubleTanhAgreesWithMathTanh() {
        double[] xs = {0, -0.0, 1e-300, 1e-9, -1e-5, 9.99e-5, 1e-4, -1e-4, 0.01, 0.3, -0.5, 1, 2.5, -7, 19.9, 20.1, -40,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : xs) {
            double expected = Math.tanh(x);
            assertEquals(expected, ElementMath.tanh(x), 1e-12 * Math.abs(expected), "tanh(" + x + ")");
            assertEquals(Math.copySign(1.0, expected), Math.copySign(1.0, ElementMath.tanh(x)), "sign of tanh(" + x + ")");
        }
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(ElementMath.tanh(Double.NaN)));
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 100_000; i++) {
            double x = r.nextGaussian() * 3;
            assertEquals(Math.tanh(x), ElementMath.tanh(x), 1e-12 * Math.abs(Math.tanh(x)), "tanh(" + x + ")");
        }
    }
}
