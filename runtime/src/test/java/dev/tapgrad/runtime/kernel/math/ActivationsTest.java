package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationsTest {

    @Test
    void erfMatchesTabulatedValues() {
        // Abramowitz & Stegun table 7.1 / standard references.
        assertEquals(0.0, Activations.erf(0.0), 2e-7);
        assertEquals(0.1124629160182849, Activations.erf(0.1), 2e-7);
        assertEquals(0.5204998778130465, Activations.erf(0.5), 2e-7);
        assertEquals(0.8427007929497149, Activations.erf(1.0), 2e-7);
        assertEquals(-0.8427007929497149, Activations.erf(-1.0), 2e-7);
        assertEquals(0.9953222650189527, Activations.erf(2.0), 2e-7);
        // erfc's relative accuracy in the tail is what keeps GELU right for large negative inputs.
        assertEquals(2.209049699858544e-05, Activations.erfc(3.0), 2.209049699858544e-05 * 2e-7);
        assertEquals(1.5374597944280349e-12, Activations.erfc(5.0), 1.5374597944280349e-12 * 2e-7);
        assertEquals(2 - 2.209049699858544e-05, Activations.erfc(-3.0), 2e-7);
    }

    @Test
    void geluMatchesKnownValues() {
        float[] z = {1f, -0.5f, 2f, -3f, 0f};
        float[] out = new float[5];
        Activations.forward(Activation.GELU, z, out, 1, 5);
        assertEquals(0.8413447f, out[0], 1e-6f);
        assertEquals(-0.15426877f, out[1], 1e-6f);
        assertEquals(1.9544997f, out[2], 1e-6f);
        assertEquals(-0.004049694f, out[3], 1e-8f); // -3·Φ(-3), Φ(-3) = 0.0013498980
        assertEquals(0f, out[4], 0f);
    }

    @Test
    void elementwiseActivationsMatchFormulas() {
        float[] z = {-2f, -0.5f, 0f, 0.5f, 3f};
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 3}, apply(Activation.RELU, z));
        assertArrayEquals(z, apply(Activation.LINEAR, z));
        float[] s = apply(Activation.SIGMOID, z);
        float[] t = apply(Activation.TANH, z);
        for (int i = 0; i < z.length; i++) {
            assertEquals(1 / (1 + Math.exp(-z[i])), s[i], 1e-7);
            assertEquals((Math.exp(2 * z[i]) - 1) / (Math.exp(2 * z[i]) + 1), t[i], 1e-7);
        }
    }

    @Test
    void sigmoidAndSoftmaxStayFiniteForLargeInputs() {
        float[] s = apply(Activation.SIGMOID, new float[] {-200f, 200f});
        assertEquals(0f, s[0], 1e-30f);
        assertEquals(1f, s[1], 0f);
        float[] p = new float[3];
        Activations.forward(Activation.SOFTMAX, new float[] {1000f, 1001f, -1000f}, p, 1, 3);
        double e = Math.exp(-1);
        assertEquals(e / (1 + e), p[0], 1e-7);
        assertEquals(1 / (1 + e), p[1], 1e-7);
        assertEquals(0f, p[2], 0f);
    }

    @Test
    void softmaxNormalisesEachRow() {
        float[] z = {1f, 2f, 3f, -1f, 0f, 4f, 0.5f, 0.5f};
        float[] p = new float[8];
        Activations.forward(Activation.SOFTMAX, z, p, 2, 4);
        // softmax([1, 2, 3, -1]) by hand: exp(v) / Σ exp
        double sum = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(-1);
        assertEquals(Math.exp(3) / sum, p[2], 1e-7);
        for (int r = 0; r < 2; r++) {
            double rowSum = 0;
            for (int j = 0; j < 4; j++) {
                rowSum += p[r * 4 + j];
            }
            assertEquals(1.0, rowSum, 1e-6, "row " + r);
        }
        assertEquals(p[6], p[7], 0f);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardInPlaceEqualsOutOfPlace(Activation act) {
        float[] z = randomAwayFromZero(new Random(5), 12);
        float[] out = new float[12];
        Activations.forward(act, z, out, 3, 4);
        Activations.forward(act, z, z, 3, 4);
        assertArrayEquals(out, z);
    }

    /** The float backward against float64 central differences of the double activation (Layers64), per row of cols. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardMatchesFloat64CentralDifferences(Activation act) {
        int rows = 3;
        int cols = 5;
        Random random = new Random(11 + act.ordinal());
        float[] z = randomAwayFromZero(random, rows * cols);
        double[] weights = new double[rows * cols];
        float[] g = new float[rows * cols];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextGaussian();
            weights[i] = g[i];
        }
        float[] out = new float[rows * cols];
        Activations.forward(act, z, out, rows, cols);
        Activations.backward(act, z, out, g, rows, cols);

        double[][] at = Check64.widen(z);
        Function<double[][], T64> reference = a -> Layers64.activate(new T64(a[0], new int[] {rows, cols}), act);
        Check64.assertSameValues(act + " forward", reference.apply(at), out);
        Check64.gradients(act.toString(), new String[] {"z"}, at, new float[][] {g},
                a -> Check64.dot(reference.apply(a), weights), random);
    }

    @Test
    void reluDerivativeAtZeroIsZero() {
        float[] z = {0f, -0f, 1f};
        float[] out = new float[3];
        float[] g = {5f, 5f, 5f};
        Activations.forward(Activation.RELU, z, out, 1, 3);
        Activations.backward(Activation.RELU, z, out, g, 1, 3);
        assertArrayEquals(new float[] {0f, 0f, 5f}, g);
    }

    /** The branch-free relu backward keeps g exactly where z > 0 and gives +0 elsewhere, NaN z included. */
    @Test
    void reluBackwardMatchesTheComparisonOnEveryKindOfFloat() {
        float[] zs = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00001),
            Float.intBitsToFloat(0x7f800001), 1e-30f, -1e-30f};
        float[] gs = {3f, -2f, Float.NaN, Float.NEGATIVE_INFINITY, -0f};
        for (float zv : zs) {
            for (float gv : gs) {
                float[] z = {zv};
                float[] out = new float[1];
                float[] g = {gv};
                Activations.backward(Activation.RELU, z, out, g, 1, 1);
                float expected = zv > 0 ? gv : 0f;
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(g[0]), "z=" + zv + " g=" + gv);
            }
        }
    }

    @Test
    void reluKeepsNaNVisible() {
        assertFalse(apply(Activation.RELU, new float[] {Float.NaN})[0] == 0f);
    }

    @Test
    void rejectsShortArrays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activations.forward(Activation.TANH, new float[5], new float[6], 2, 3));
        assertEquals("Activations.forward(TANH): z has 5 values, shape (2, 3) needs 6", e.getMessage());
    }

    /** Values in ±[0.1, 2.5]: away from RELU's kink, which a step of 1e-6 cannot cross. */
    private static float[] randomAwayFromZero(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double mag = 0.1 + 2.4 * random.nextDouble();
            v[i] = (float) (random.nextBoolean() ? mag : -mag);
        }
        return v;
    }

    private static float[] apply(Activation act, float[] z) {
        float[] out = new float[z.length];
        Activations.forward(act, z, out, 1, z.length);
        return out;
    }
}
