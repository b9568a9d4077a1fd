package dev.tapgrad.runtime;

import static dev.tapgrad.runtime.ops.Arithmetic.*;
import static dev.tapgrad.runtime.ops.ElementwiseMath.*;
import static dev.tapgrad.runtime.ops.LinearAlgebra.*;
import static dev.tapgrad.runtime.ops.Losses.*;
import static dev.tapgrad.runtime.ops.Probability.*;
import static dev.tapgrad.runtime.ops.Reductions.*;
import static dev.tapgrad.runtime.ops.Shapes.*;
import static dev.tapgrad.runtime.f64.Ops64.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.Ops64;
import dev.tapgrad.runtime.f64.T64;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op in {@link Ops}: forward values against hand formulas, and each float adjoint against
 * float64 central differences of the op's double reference ({@link Ops64}; one input value at a
 * time, and the VJP inner product along random directions), whose value is first checked against
 * the op's float output.
 */
class OpsTest {
    /** One adjoint of an op: the gradient for one argument given the arguments, output and cotangent. */
    interface Adjoint {
        Tensor apply(Tensor[] args, Tensor out, Tensor g);
    }

    /**
     * One row of the table: an op applied to arguments of the given shapes, the same expression
     * in double ({@link Ops64}, the reference that finite differences differentiate), and an
     * adjoint per argument.
     */
    record OpCase(String name, int[][] shapes, Function<Tensor[], Tensor> op, Function<T64[], T64> reference,
            Adjoint... adjoints) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<OpCase> cases() {
        return Stream.of(
                new OpCase("abs (2,3)", new int[][] {{2, 3}}, a -> abs(a[0]), a -> abs(a[0]),
                        (a, o, g) -> absAdjoint(a[0], o, g)),
                new OpCase("square (2,3)", new int[][] {{2, 3}}, a -> square(a[0]), a -> square(a[0]),
                        (a, o, g) -> squareAdjoint(a[0], o, g)),
                new OpCase("neg (2,3)", new int[][] {{2, 3}}, a -> neg(a[0]), a -> neg(a[0]),
                        (a, o, g) -> negAdjoint(a[0], o, g)),
                new OpCase("scale 2.5 (4,)", new int[][] {{4}}, a -> scale(2.5, a[0]), a -> scale(2.5, a[0]),
                        (a, o, g) -> scaleAdjoint(2.5, a[0], o, g)),
                new OpCase("scale -0.3 (2,2,2)", new int[][] {{2, 2, 2}}, a -> scale(-0.3, a[0]), a -> scale(-0.3, a[0]),
                        (a, o, g) -> scaleAdjoint(-0.3, a[0], o, g)),
                new OpCase("add (2,3)+(2,3)", new int[][] {{2, 3}, {2, 3}}, a -> add(a[0], a[1]), a -> add(a[0], a[1]),
                        (a, o, g) -> addAdjointA(a[0], a[1], o, g), (a, o, g) -> addAdjointB(a[0], a[1], o, g)),
                new OpCase("add (2,3)+(3,)", new int[][] {{2, 3}, {3}}, a -> add(a[0], a[1]), a -> add(a[0], a[1]),
                        (a, o, g) -> addAdjointA(a[0], a[1], o, g), (a, o, g) -> addAdjointB(a[0], a[1], o, g)),
                new OpCase("add (2,1)+(1,3)", new int[][] {{2, 1}, {1, 3}}, a -> add(a[0], a[1]), a -> add(a[0], a[1]),
                        (a, o, g) -> addAdjointA(a[0], a[1], o, g), (a, o, g) -> addAdjointB(a[0], a[1], o, g)),
                new OpCase("add ()+(2,3)", new int[][] {{}, {2, 3}}, a -> add(a[0], a[1]), a -> add(a[0], a[1]),
                        (a, o, g) -> addAdjointA(a[0], a[1], o, g), (a, o, g) -> addAdjointB(a[0], a[1], o, g)),
                new OpCase("sub (2,3)-(2,1)", new int[][] {{2, 3}, {2, 1}}, a -> sub(a[0], a[1]), a -> sub(a[0], a[1]),
                        (a, o, g) -> subAdjointA(a[0], a[1], o, g), (a, o, g) -> subAdjointB(a[0], a[1], o, g)),
                new OpCase("sub (3,)-(2,3)", new int[][] {{3}, {2, 3}}, a -> sub(a[0], a[1]), a -> sub(a[0], a[1]),
                        (a, o, g) -> subAdjointA(a[0], a[1], o, g), (a, o, g) -> subAdjointB(a[0], a[1], o, g)),
                new OpCase("mul (2,3)*(2,3)", new int[][] {{2, 3}, {2, 3}}, a -> mul(a[0], a[1]), a -> mul(a[0], a[1]),
                        (a, o, g) -> mulAdjointA(a[0], a[1], o, g), (a, o, g) -> mulAdjointB(a[0], a[1], o, g)),
                new OpCase("mul (2,1)*(1,3)", new int[][] {{2, 1}, {1, 3}}, a -> mul(a[0], a[1]), a -> mul(a[0], a[1]),
                        (a, o, g) -> mulAdjointA(a[0], a[1], o, g), (a, o, g) -> mulAdjointB(a[0], a[1], o, g)),
                new OpCase("mul (2,3)*(3,)", new int[][] {{2, 3}, {3}}, a -> mul(a[0], a[1]), a -> mul(a[0], a[1]),
                        (a, o, g) -> mulAdjointA(a[0], a[1], o, g), (a, o, g) -> mulAdjointB(a[0], a[1], o, g)),
                new OpCase("mul (2,3,1)*(4,)", new int[][] {{2, 3, 1}, {4}}, a -> mul(a[0], a[1]), a -> mul(a[0], a[1]),
                        (a, o, g) -> mulAdjointA(a[0], a[1], o, g), (a, o, g) -> mulAdjointB(a[0], a[1], o, g)),
                new OpCase("sum (2,3)", new int[][] {{2, 3}}, a -> sum(a[0]), a -> sum(a[0]),
                        (a, o, g) -> sumAdjoint(a[0], o, g)),
                new OpCase("mean (2,3)", new int[][] {{2, 3}}, a -> mean(a[0]), a -> mean(a[0]),
                        (a, o, g) -> meanAdjoint(a[0], o, g)));
    }

    // ---- forward values against hand formulas --------------------------------------------

    @Test
    void unaryOpsMatchHandValues() {
        Tensor x = Tensor.of(new float[] {-1.5f, 0f, 2.25f, -4f}, 2, 2);
        assertValues(abs(x), new int[] {2, 2}, 1.5f, 0f, 2.25f, 4f);
        assertValues(square(x), new int[] {2, 2}, 2.25f, 0f, 5.0625f, 16f);
        assertValues(neg(x), new int[] {2, 2}, 1.5f, -0f, -2.25f, 4f);
        assertValues(scale(2.5, x), new int[] {2, 2}, -3.75f, 0f, 5.625f, -10f);
    }

    @Test
    void binaryOpsBroadcastLikeNumPy() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(add(m, Tensor.of(new float[] {10, 20, 30}, 3)), new int[] {2, 3}, 11, 22, 33, 14, 25, 36);
        assertValues(add(Tensor.of(new float[] {1, 2}, 2, 1), Tensor.of(new float[] {10, 20, 30}, 1, 3)),
                new int[] {2, 3}, 11, 21, 31, 12, 22, 32);
        assertValues(add(Tensor.scalar(0.5), m), new int[] {2, 3}, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f);
        assertValues(sub(m, Tensor.of(new float[] {1, 2}, 2, 1)), new int[] {2, 3}, 0, 1, 2, 2, 3, 4);
        assertValues(sub(Tensor.of(new float[] {1, 1, 1}, 3), m), new int[] {2, 3}, 0, -1, -2, -3, -4, -5);
        assertValues(mul(Tensor.of(new float[] {2, 3}, 2, 1), Tensor.of(new float[] {1, 10, 100}, 1, 3)),
                new int[] {2, 3}, 2, 20, 200, 3, 30, 300);
        assertValues(mul(m, Tensor.of(new float[] {2, 0, -1}, 3)), new int[] {2, 3}, 2, 0, -3, 8, 0, -6);
    }

    @Test
    void reductionsGiveScalars() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(sum(m), new int[0], 21f);
        assertValues(mean(m), new int[0], 3.5f);
    }

    @Test
    void incompatibleShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> add(Tensor.zeros(2, 3), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("[2, 3] and [2]"), e.getMessage());
    }

    // ---- adjoints: hand values and kinks --------------------------------------------------

    @Test
    void absDerivativeAtZeroIsZero() {
        Tensor x = Tensor.of(new float[] {0f, -0f, 3f, -2f}, 4);
        assertValues(absAdjoint(x, abs(x), Tensor.of(new float[] {1, 1, 1, 1}, 4)), new int[] {4}, 0, 0, 1, -1);
    }

    /** The branch-free same-shape path of absAdjoint gives g · signum(x) exactly, for every kind of float. */
    @Test
    void absAdjointIsExactlyGTimesSignumOnEveryKindOfFloat() {
        float[] xs = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 2.5f, -7f};
        float[] gs = {0f, -0f, 1.5f, -2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, -3e38f};
        int n = xs.length * gs.length;
        float[] x = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < xs.length; i++) {
            for (int j = 0; j < gs.length; j++) {
                x[i * gs.length + j] = xs[i];
                g[i * gs.length + j] = gs[j];
            }
        }
        float[] d = absAdjoint(Tensor.of(x, n), null, Tensor.of(g, n)).buffer();
        for (int i = 0; i < n; i++) {
            float expected = (float) (g[i] * Math.signum((double) x[i]));
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(d[i]), "x=" + x[i] + " g=" + g[i]);
        }
    }

    /** Broadcasting along a middle axis and a leading one, against the index formula. */
    @Test
    void broadcastOverMiddleAndLeadingAxesMatchesIndexFormula() {
        Random r = new Random(4);
        Tensor a = Tensor.randn(r, 3, 1, 5);
        Tensor b = Tensor.randn(r, 4, 1);
        Tensor sum = add(a, b);
        assertArrayEquals(new int[] {3, 4, 5}, sum.shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 5; k++) {
                    assertEquals(a.get(i, 0, k) + b.get(j, 0), sum.get(i, j, k), 0f);
                }
            }
        }
        Tensor g = Tensor.randn(new Random(5), 3, 4, 5);
        Tensor ga = addAdjointA(a, b, sum, g);
        Tensor gb = addAdjointB(a, b, sum, g);
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 5; k++) {
                float s = 0;
                for (int j = 0; j < 4; j++) {
                    s += g.get(i, j, k);
                }
                assertEquals(s, ga.get(i, 0, k), 1e-5f);
            }
        }
        for (int j = 0; j < 4; j++) {
            float s = 0;
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 5; k++) {
                    s += g.get(i, j, k);
                }
            }
            assertEquals(s, gb.get(j, 0), 1e-5f);
        }
    }

    /**
     * A KL target that repeats along the batch (read in place, not copied) gives the same bits as
     * the target broadcast by hand, for the value and both gradients.
     */
    @Test
    void klDivergenceWithARepeatedTargetEqualsTheExplicitBroadcast() {
        Random r = new Random(6);
        Tensor target = softmax(Tensor.randn(r, 8));
        Tensor pred = softmax(Tensor.randn(r, 3, 4, 8));
        Tensor full = Tensor.zeros(3, 4, 8);
        for (int row = 0; row < 12; row++) {
            System.arraycopy(target.buffer(), 0, full.buffer(), row * 8, 8);
        }
        Tensor g = Tensor.scalar(0.7);
        assertEquals(klDivergence(full, pred).item(), klDivergence(target, pred).item(), 0f);
        assertArrayEquals(klDivergenceAdjointPred(full, pred, null, g).buffer(),
                klDivergenceAdjointPred(target, pred, null, g).buffer(), 0f);
        Tensor dTarget = klDivergenceAdjointTrue(target, pred, null, g);
        assertArrayEquals(new int[] {8}, dTarget.shape());
        Tensor dFull = klDivergenceAdjointTrue(full, pred, null, g);
        for (int j = 0; j < 8; j++) {
            float s = 0;
            for (int row = 0; row < 12; row++) {
                s += dFull.buffer()[row * 8 + j];
            }
            assertEquals(s, dTarget.buffer()[j], 1e-6f * Math.max(1, Math.abs(s)));
        }
        // The prediction repeating instead (a (8) prediction against a batch of targets).
        Tensor targets = softmax(Tensor.randn(r, 5, 8));
        Tensor one = softmax(Tensor.randn(r, 8));
        Tensor ones = Tensor.zeros(5, 8);
        for (int row = 0; row < 5; row++) {
            System.arraycopy(one.buffer(), 0, ones.buffer(), row * 8, 8);
        }
        assertEquals(klDivergence(targets, ones).item(), klDivergence(targets, one).item(), 0f);
    }

    @Test
    void broadcastAdjointsSumOverTheBroadcastAxes() {
        Tensor a = Tensor.of(new float[] {2, 3}, 2, 1);
        Tensor b = Tensor.of(new float[] {1, 10, 100}, 1, 3);
        Tensor ones = Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3);
        assertValues(mulAdjointA(a, b, mul(a, b), ones), new int[] {2, 1}, 111, 111);
        assertValues(mulAdjointB(a, b, mul(a, b), ones), new int[] {1, 3}, 5, 5, 5);
        Tensor v = Tensor.of(new float[] {7, 8, 9}, 3);
        assertValues(subAdjointB(ones, v, sub(ones, v), ones), new int[] {3}, -2, -2, -2);
        assertValues(sumAdjoint(ones, sum(ones), Tensor.scalar(2)), new int[] {2, 3}, 2, 2, 2, 2, 2, 2);
        assertValues(meanAdjoint(ones, mean(ones), Tensor.scalar(3)), new int[] {2, 3}, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f);
    }

    // ---- adjoints against central differences in double ---------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void adjointsMatchFloat64CentralDifferences(OpCase c) {
        Random random = new Random(c.name().hashCode());
        Tensor[] args = randomArgs(c, random);
        Tensor out = c.op().apply(args);
        double[] r = gaussian(random, out.size());
        float[][] grads = new float[args.length][];
        for (int k = 0; k < args.length; k++) {
            Tensor grad = c.adjoints()[k].apply(args, out, asTensor(r, out.shape()));
            assertArrayEquals(args[k].shape(), grad.shape(), c + ": adjoint " + k + " must have its argument's shape");
            grads[k] = grad.toArray();
        }
        Check64.op(c.toString(), args, out, grads, r, c.reference(), random);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Values of magnitude in [0.2, 2] with random signs: away from abs's kink at 0. */
    private static Tensor[] randomArgs(OpCase c, Random random) {
        Tensor[] args = new Tensor[c.shapes().length];
        for (int k = 0; k < args.length; k++) {
            args[k] = Tensor.zeros(c.shapes()[k]);
            float[] v = args[k].buffer();
            for (int i = 0; i < v.length; i++) {
                double mag = 0.2 + 1.8 * random.nextDouble();
                v[i] = (float) (random.nextBoolean() ? mag : -mag);
            }
        }
        return args;
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian(); // float-representable, so the cotangent tensor is exact
        }
        return v;
    }

    private static Tensor asTensor(double[] v, int[] shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.wrap(f, shape);
    }

    private static void assertValues(Tensor t, int[] shape, float... expected) {
        assertArrayEquals(shape, t.shape(), "shape " + Arrays.toString(t.shape()));
        assertArrayEquals(expected, t.toArray(), 1e-6f, Arrays.toString(t.toArray()));
    }

    /**
     * The KL gradient for yPred against a repeating target (the LSTM prior's fast path) equals the
     * general path's against the same target written out in full, to float rounding, including
     * predictions outside [1e-7, 1] where the clip is flat (0, negative, above 1, NaN).
     */
    @org.junit.jupiter.api.Test
    void klGradientForARepeatingTargetMatchesTheGeneralPath() {
        java.util.Random r = new java.util.Random(9);
        int rows = 6;
        int classes = 5;
        float[] target = {0.1f, 0.2f, 0.3f, 0.4f, 0f};
        float[] full = new float[rows * classes];
        float[] pred = new float[rows * classes];
        for (int i = 0; i < pred.length; i++) {
            full[i] = target[i % classes];
            pred[i] = r.nextFloat();
        }
        pred[3] = 0f;
        pred[7] = -0.5f;
        pred[11] = 1.5f;
        pred[13] = Float.NaN;
        pred[17] = 1f;
        pred[19] = 1e-7f;
        pred[23] = 5e-8f;
        Tensor yPred = Tensor.of(pred, rows, classes);
        Tensor g = Tensor.scalar(0.7);
        Tensor fast = klDivergenceAdjointPred(Tensor.of(target, classes), yPred, null, g);
        Tensor general = klDivergenceAdjointPred(Tensor.of(full, rows, classes), yPred, null, g);
        float[] a = fast.toArray();
        float[] b = general.toArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {rows, classes}, fast.shape());
        for (int i = 0; i < a.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(b[i], a[i], 2e-6 * Math.abs(b[i]), "element " + i);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0f, a[3]);
        org.junit.jupiter.api.Assertions.assertEquals(0f, a[7]);
        org.junit.jupiter.api.Assertions.assertEquals(0f, a[11]);
        org.junit.jupiter.api.Assertions.assertEquals(0f, a[13]);
        org.junit.jupiter.api.Assertions.assertEquals(0f, a[23]);
        // At the clip's ends the gradient is still −t/p·g/rows: p = 1 (class 2, t = 0.3), p = ε (class 4, t clipped to ε).
        org.junit.jupiter.api.Assertions.assertEquals(-0.3 * 0.7 / rows, a[17], 1e-7);
        org.junit.jupiter.api.Assertions.assertEquals(-1.0 * 0.7 / rows, a[19], 1e-6);
    }

    /** The KL value against a repeating target (the fast path) equals the general path's, to float rounding of the logs. */
    @org.junit.jupiter.api.Test
    void klValueForARepeatingTargetMatchesTheGeneralPath() {
        java.util.Random r = new java.util.Random(4);
        int rows = 7;
        int classes = 6;
        float[] target = {0.05f, 0.15f, 0.3f, 0.2f, 0.3f, 0f};
        float[] full = new float[rows * classes];
        float[] pred = new float[rows * classes];
        for (int i = 0; i < pred.length; i++) {
            full[i] = target[i % classes];
            pred[i] = r.nextFloat() * 0.5f;
        }
        pred[4] = 0f; // clipped to 1e-7
        pred[9] = 2f; // clipped to 1
        Tensor yPred = Tensor.of(pred, rows, classes);
        double fast = Ops.klDivergence(Tensor.of(target, classes), yPred).item();
        double general = Ops.klDivergence(Tensor.of(full, rows, classes), yPred).item();
        org.junit.jupiter.api.Assertions.assertEquals(general, fast, 1e-6 * Math.abs(general));
        pred[20] = Float.NaN;
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(Ops.klDivergence(Tensor.of(target, classes),
                Tensor.of(pred, rows, classes)).item()), "NaN in the predictions stays visible");
    }
}
