package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Dropout's semantics against their definition rather than torch's random numbers: inverted
 * dropout (kept values scaled by 1 / (1 - rate), as Keras), a mask that is the mode's draw, the
 * identity in inference, masks fixed by the seed, the layer's position and the step.
 */
class DropoutTest {
    private static final int N = 200_000;

    @Test
    void trainingKeepsWhereTheDrawIsAtLeastTheRateAndScalesByOneOverOneMinusRate() {
        double rate = 0.3;
        Mode mode = new Mode(42);
        mode.fitting();
        Dropout drop = new Dropout("drop", rate);
        drop.useMode(mode, 3);
        Tensor x = Tensor.zeros(N / 100, 100);
        for (int i = 0; i < N; i++) {
            x.buffer()[i] = 1 + (i % 7); // never 0, so a zero output is a dropped value
        }
        Tensor out = Tensor.zeros(N / 100, 100);
        drop.forward(x, out);
        float scale = (float) (1 / (1 - rate));
        int dropped = 0;
        for (int i = 0; i < N; i++) {
            boolean keep = mode.uniform(3, i) >= rate;
            assertEquals(keep ? x.buffer()[i] * scale : 0f, out.buffer()[i], 0f, "value " + i);
            dropped += keep ? 0 : 1;
        }
        // binomial(N, 0.3): standard deviation ~205, so 5 sigma is ~1000
        assertEquals(rate * N, dropped, 1000, "dropped fraction");
        Tensor g = Tensor.zeros(N / 100, 100);
        g.fill(2f);
        Tensor gx = Tensor.zeros(N / 100, 100);
        gx.fill(0.5f);
        drop.backward(g, gx);
        for (int i = 0; i < N; i++) {
            assertEquals(0.5f + (out.buffer()[i] == 0 ? 0 : 2 * scale), gx.buffer()[i], 1e-6f, "gradient " + i);
        }
    }

    @Test
    void inferenceIsTheIdentity() {
        Mode mode = new Mode(42);
        mode.inferring();
        Dropout drop = new Dropout("drop", 0.5);
        drop.useMode(mode, 0);
        Tensor x = Tensor.of(new float[] {1, -2, 3, 4, 5, 6}, 2, 3);
        Tensor out = Tensor.zeros(2, 3);
        drop.forward(x, out);
        assertArrayEquals(x.buffer(), out.buffer());
        Tensor gx = Tensor.zeros(2, 3);
        drop.backward(x, gx);
        assertArrayEquals(x.buffer(), gx.buffer());
        drop.backward(x, null); // the model input takes no gradient
    }

    @Test
    void masksAreFixedBySeedLayerAndStep() {
        float[] a = mask(1, 0, 0);
        assertArrayEquals(a, mask(1, 0, 0), "same seed, layer and step");
        assertFalse(Arrays.equals(a, mask(2, 0, 0)), "another seed");
        assertFalse(Arrays.equals(a, mask(1, 1, 0)), "another layer");
        assertFalse(Arrays.equals(a, mask(1, 0, 1)), "the next step");
    }

    @Test
    void gradientsModeDrawsTheMasksOfFitsNextStep() {
        Mode mode = new Mode(5);
        mode.differentiating();
        double first = mode.uniform(0, 17);
        mode.fitting();
        assertEquals(first, mode.uniform(0, 17));
        assertTrue(mode.training() && mode.updatesStatistics());
        mode.advance();
        assertEquals(1, mode.step());
    }

    /**
     * The draws are SplitMix64's finaliser over the seed and the step, then the layer, then the
     * element, as written out here: what makes a resumed run (a backup's step) draw the masks the
     * uninterrupted one drew. The key a layer computes once per step gives the same numbers.
     */
    @Test
    void drawsAreSplitMixOfSeedStepLayerAndElement() {
        Mode mode = new Mode(11);
        mode.fitting();
        mode.seek(3);
        long seed = mix(11 ^ 0x5DEECE66DL);
        for (int layer : new int[] {0, 2, -1}) {
            for (long i : new long[] {0, 1, 1000, 1L << 40}) {
                long h = mix(seed + 0x9E3779B97F4A7C15L * 4);
                h = mix(h ^ (0xBF58476D1CE4E5B9L * (layer + 1)));
                double want = (mix(h ^ i) >>> 11) * 0x1.0p-53;
                assertEquals(want, mode.uniform(layer, i), "layer " + layer + ", element " + i);
                assertEquals(want, Mode.uniformOfKey(mode.drawKey(layer), i), "by key: layer " + layer + ", element " + i);
            }
        }
    }

    /**
     * The forward compares a draw's integer bits with {@link Mode#leastBitsAtLeast} instead of its
     * uniform number with the rate: the two must agree at the threshold and on both sides of it,
     * for rates whose scaled value is an integer (0.5) and rates that are not (1/3, 0.1, 1e-300).
     */
    @Test
    void theBitsThresholdAgreesWithTheUniformComparison() {
        for (double p : new double[] {0.5, 0.25, 1.0 / 3, 0.1, 0.7, 0.999999, 1e-300, Double.MIN_VALUE, 0, 1}) {
            long t = Mode.leastBitsAtLeast(p);
            for (long bits = Math.max(0, t - 2); bits <= Math.min((1L << 53) - 1, t + 2); bits++) {
                assertEquals(bits * 0x1.0p-53 >= p, bits >= t, "rate " + p + ", bits " + bits + ", threshold " + t);
            }
        }
        Mode mode = new Mode(4);
        mode.fitting();
        long key = mode.drawKey(1);
        for (long i = 0; i < 1000; i++) {
            assertEquals(Mode.uniformOfKey(key, i), Mode.drawBitsOfKey(key, i) * 0x1.0p-53, "element " + i);
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void drawsAreUniform() {
        Mode mode = new Mode(9);
        double sum = 0;
        for (int i = 0; i < N; i++) {
            double u = mode.uniform(0, i);
            assertTrue(u >= 0 && u < 1);
            sum += u;
        }
        assertEquals(0.5, sum / N, 0.005);
    }

    @Test
    void rateMustBeStrictlyBetweenZeroAndOne() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout("d", 0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout("d", 1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout("d", 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Dropout("d", Double.NaN));
        assertArrayEquals(new int[] {2, 3, 4}, new Dropout("d", 0.5).outputShape(new int[] {2, 3, 4}));
    }

    private static float[] mask(long seed, int layer, int steps) {
        Mode mode = new Mode(seed);
        for (int s = 0; s < steps; s++) {
            mode.advance();
        }
        mode.fitting();
        Dropout drop = new Dropout("drop", 0.5);
        drop.useMode(mode, layer);
        Tensor x = Tensor.zeros(4, 64);
        x.fill(1f);
        Tensor out = Tensor.zeros(4, 64);
        drop.forward(x, out);
        return out.toArray();
    }
}
