package dev.tapgrad.runtime.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Ops;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.ops.ElementwiseMath;
import dev.tapgrad.runtime.ops.Reductions;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused penalties against the op-by-op path the processor would otherwise generate
 * ({@code Ops.abs}/{@code square}, {@code Ops.mean}/{@code sum}, their adjoints seeded with the
 * float weight, added into the gradient): the same bits, value and gradient, on values that
 * include ±0, negatives, a NaN-free tail of odd length, and subnormals; 200 003 values are cut into
 * blocks that the threads share.
 */
class PenaltiesTest {
    private static Tensor values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (i % 7) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> Float.MIN_VALUE * (i + 1);
                default -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
            };
        }
        return Tensor.of(v, n);
    }

    @ParameterizedTest(name = "{0}({1}) over {2} values")
    @CsvSource({"mean, abs, 1", "mean, abs, 1003", "sum, abs, 1003", "mean, square, 1003", "sum, square, 1003",
            "mean, square, 4", "sum, abs, 0", "mean, abs, 200003", "sum, square, 200003"})
    void fusedPenaltiesGiveTheOpsBitsForValueAndGradient(String reduce, String element, int n) {
        Tensor x = values(n, 11 + n);
        double weight = 0.013;
        Tensor start = values(n, 99);

        Tensor t1 = element.equals("abs") ? Ops.abs(x) : Ops.square(x);
        Tensor t2 = reduce.equals("mean") ? Ops.mean(t1) : Ops.sum(t1);
        Tensor seed = Tensor.scalar(weight);
        Tensor d1 = reduce.equals("mean") ? Reductions.meanAdjoint(t1, t2, seed) : Reductions.sumAdjoint(t1, t2, seed);
        Tensor dx = element.equals("abs") ? ElementwiseMath.absAdjoint(x, t1, d1) : ElementwiseMath.squareAdjoint(x, t1, d1);
        Tensor expected = start.copy();
        expected.addInPlace(dx);

        Tensor grad = start.copy();
        double value;
        String kind = reduce + (element.equals("abs") ? "Abs" : "Square");
        switch (kind) {
            case "meanAbs" -> {
                value = Penalties.meanAbs(x);
                Penalties.addMeanAbsGradient(x, weight, grad);
            }
            case "sumAbs" -> {
                value = Penalties.sumAbs(x);
                Penalties.addSumAbsGradient(x, weight, grad);
            }
            case "meanSquare" -> {
                value = Penalties.meanSquare(x);
                Penalties.addMeanSquareGradient(x, weight, grad);
            }
            default -> {
                value = Penalties.sumSquare(x);
                Penalties.addSumSquareGradient(x, weight, grad);
            }
        }
        assertEquals(Double.doubleToRawLongBits(t2.item()), Double.doubleToRawLongBits(value), kind + " value");
        assertArrayEquals(bits(expected.toArray()), bits(grad.toArray()), kind + " gradient");
    }

    @ParameterizedTest(name = "NaN in x stays visible through {0}")
    @CsvSource({"abs", "square"})
    void nanStaysNan(String element) {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, -2}, 3);
        Tensor grad = Tensor.zeros(3);
        double value = element.equals("abs") ? Penalties.meanAbs(x) : Penalties.meanSquare(x);
        if (element.equals("abs")) {
            Penalties.addMeanAbsGradient(x, 1, grad);
        } else {
            Penalties.addMeanSquareGradient(x, 1, grad);
        }
        assertEquals(Double.NaN, value);
        assertEquals(Float.NaN, grad.toArray()[1]);
        assertEquals(element.equals("abs") ? -1f / 3 : -4f / 3, grad.toArray()[2], 1e-7);
    }

    @org.junit.jupiter.api.Test
    void aGradientOfAnotherShapeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Penalties.addMeanAbsGradient(Tensor.zeros(2, 3), 1, Tensor.zeros(6)));
        assertEquals("Penalties: the gradient [6] must have the shape of x [2, 3]", e.getMessage());
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
