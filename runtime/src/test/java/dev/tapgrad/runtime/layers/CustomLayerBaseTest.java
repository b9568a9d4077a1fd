package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.Init;
import dev.tapgrad.runtime.Parameter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What generated custom layers inherit: weights named {@code layer.field} in declaration order,
 * drawn by their {@link Init} as Keras draws them (fan-in: every dimension but the last; fan-out:
 * the last), and shape checks.
 */
class CustomLayerBaseTest {
    /** A layer as generated code declares one: four weights, one per initialiser. */
    private static final class Probe extends CustomLayerBase {
        final Parameter glorot;
        final Parameter he;
        final Parameter zeros;
        final Parameter ones;

        Probe() {
            super("probe");
            glorot = weight("kernel", Init.GLOROT_UNIFORM, 200, 300);
            he = weight("conv", Init.HE_NORMAL, 3, 3, 40, 500);
            zeros = weight("bias", Init.ZEROS, 300);
            ones = weight("scale", Init.ONES, 300);
        }

        @Override
        public int[] outputShape(int[]... inputShapes) {
            checkArity(1, inputShapes);
            return inputShapes[0];
        }
    }

    @Test
    void weightsAreNamedLayerDotFieldInDeclarationOrder() {
        Probe p = new Probe();
        assertEquals(List.of("probe.kernel", "probe.conv", "probe.bias", "probe.scale"),
                p.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void eachInitDrawsAsKeras() {
        Probe p = new Probe();
        p.initialize(new Random(3));
        double limit = Math.sqrt(6.0 / (200 + 300));
        double sum = 0;
        double sumSq = 0;
        for (float v : p.glorot.value().toArray()) {
            assertTrue(Math.abs(v) <= limit, "glorot within ±" + limit);
            sum += v;
            sumSq += v * v;
        }
        int n = 200 * 300;
        // uniform on ±limit: variance limit² / 3
        assertEquals(limit * limit / 3, sumSq / n - (sum / n) * (sum / n), 0.03 * limit * limit / 3);
        // he_normal: truncated at 2σ of the untruncated normal, whose σ is √(2 / fanIn) / 0.8796; the result has σ √(2 / fanIn)
        double fanIn = 3 * 3 * 40;
        double cut = 2 * Math.sqrt(2 / fanIn) / 0.87962566103423978;
        sum = 0;
        sumSq = 0;
        float[] he = p.he.value().toArray();
        for (float v : he) {
            assertTrue(Math.abs(v) <= cut + 1e-6, "he_normal truncated at 2σ");
            sum += v;
            sumSq += (double) v * v;
        }
        assertEquals(2 / fanIn, sumSq / he.length - (sum / he.length) * (sum / he.length), 0.03 * 2 / fanIn);
        for (float v : p.zeros.value().toArray()) {
            assertEquals(0f, v);
        }
        for (float v : p.ones.value().toArray()) {
            assertEquals(1f, v);
        }
    }

    @Test
    void aWeightDimensionBelowOneAndAWrongInputCountAreErrors() {
        final class Bad extends CustomLayerBase {
            Bad() {
                super("bad");
                weight("kernel", Init.ZEROS, 3, 0);
            }

            @Override
            public int[] outputShape(int[]... inputShapes) {
                return inputShapes[0];
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Bad::new);
        assertTrue(e.getMessage().contains("weight kernel needs every dimension at least 1, got [3, 0]"), e.getMessage());
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                () -> new Probe().outputShape(new int[] {2, 3}, new int[] {2, 3}));
        assertTrue(arity.getMessage().contains("takes 1 input"), arity.getMessage());
    }
}
