package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmTest {
    private static final int B = 3;
    private static final int T = 4;
    private static final int F = 3;
    private static final int U = 4;

    @Test
    void parametersHaveKerasNamesAndLayouts() {
        Lstm l = new Lstm("lstm", T, F, U, true);
        List<Parameter> p = l.parameters();
        assertEquals(List.of("lstm.kernel", "lstm.recurrent_kernel", "lstm.bias"),
                List.of(p.get(0).name(), p.get(1).name(), p.get(2).name()));
        assertArrayEquals(new int[] {F, 4 * U}, l.kernel().shape());
        assertArrayEquals(new int[] {U, 4 * U}, l.recurrentKernel().shape());
        assertArrayEquals(new int[] {4 * U}, l.bias().shape());
        assertTrue(p.get(0).value() == l.kernel() && p.get(1).value() == l.recurrentKernel()
                && p.get(2).value() == l.bias());
        assertEquals(T, l.steps());
        assertEquals(F, l.features());
        assertEquals(U, l.units());
        assertTrue(l.returnSequences());
    }

    @Test
    void initializeIsKerasDefault() {
        int features = 40;
        int units = 16;
        Lstm l = new Lstm("lstm", 2, features, units, false);
        l.initialize(new Random(1));
        double limit = Math.sqrt(6.0 / (features + 4 * units));
        double sumSq = 0;
        for (float v : l.kernel().buffer()) {
            assertTrue(Math.abs(v) <= limit, "kernel value " + v + " outside ±" + limit);
            sumSq += v * v;
        }
        assertEquals(limit * limit / 3, sumSq / l.kernel().size(), 0.1 * limit * limit);
        // Keras's orthogonal (u, 4u) recurrent kernel has orthonormal rows: W·Wᵀ = I (u, u).
        float[] w = l.recurrentKernel().buffer();
        for (int a = 0; a < units; a++) {
            for (int b = 0; b < units; b++) {
                double dot = 0;
                for (int c = 0; c < 4 * units; c++) {
                    dot += (double) w[a * 4 * units + c] * w[b * 4 * units + c];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-6, "(W·Wᵀ)[" + a + "][" + b + "]");
            }
        }
        float[] bias = l.bias().buffer();
        for (int j = 0; j < 4 * units; j++) {
            assertEquals(j >= units && j < 2 * units ? 1f : 0f, bias[j], "bias[" + j + "] (gates i, f, c, o)");
        }
        Lstm again = new Lstm("lstm", 2, features, units, false);
        again.initialize(new Random(1));
        assertArrayEquals(w, again.recurrentKernel().buffer(), "same seed, same weights");
    }

    @Test
    void orthogonalOfATallMatrixHasOrthonormalColumns() {
        Tensor m = Tensor.zeros(7, 3);
        Orthogonal.fill(m, 7, 3, new Random(2));
        float[] v = m.buffer();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                for (int r = 0; r < 7; r++) {
                    dot += (double) v[r * 3 + a] * v[r * 3 + b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-6, "(Wᵀ·W)[" + a + "][" + b + "]");
            }
        }
    }

    /**
     * Keras's semantics, not just orthogonality: Q is the thin QR factor of the Gaussian A drawn
     * row by row, with R = QᵀA upper triangular and its diagonal positive (the sign fix), and a wide
     * matrix is Qᵀ. Checked on A drawn again from the same seed, for a tall and a wide shape.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void orthogonalIsTheSignFixedQOfTheDrawnGaussian(boolean tall) {
        int rows = tall ? 6 : 3, cols = tall ? 3 : 6, big = 6, small = 3;
        Tensor m = Tensor.zeros(rows, cols);
        Orthogonal.fill(m, rows, cols, new Random(5));
        Random again = new Random(5);
        double[][] a = new double[big][small];
        for (int i = 0; i < big; i++) {
            for (int j = 0; j < small; j++) {
                a[i][j] = again.nextGaussian();
            }
        }
        float[] v = m.buffer();
        for (int p = 0; p < small; p++) {
            for (int j = 0; j < small; j++) {
                double rpj = 0; // (QᵀA)[p][j], with Q[i][p] = m[i][p] (tall) or m[p][i] (wide)
                for (int i = 0; i < big; i++) {
                    rpj += (tall ? v[i * cols + p] : v[p * cols + i]) * a[i][j];
                }
                if (p > j) {
                    assertEquals(0, rpj, 1e-5, "R[" + p + "][" + j + "] below the diagonal");
                } else if (p == j) {
                    assertTrue(rpj > 0.01, "R[" + p + "][" + p + "] = " + rpj + " must be positive");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void forwardMatchesNaiveRecurrence(boolean sequences) {
        Random random = new Random(3);
        Lstm l = randomLstm(sequences, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, B * T * F), B, T, F);
        Tensor out = Tensor.zeros(outShape(sequences, B));
        l.forward(x, out);
        assertClose("out", naive(l, x), out.buffer(), 0, 2e-6);
    }

    @Test
    void aChangingBatchSizeReallocatesTheState() {
        Random random = new Random(4);
        Lstm l = randomLstm(true, random);
        for (int b : new int[] {3, 1, 5, 3}) {
            Tensor x = Tensor.wrap(GradCheck.uniform(random, b * T * F), b, T, F);
            Tensor out = Tensor.zeros(b, T, U);
            l.forward(x, out);
            assertClose("out with B=" + b, naive(l, x), out.buffer(), 0, 2e-6);
            Tensor gx = Tensor.zeros(b, T, F);
            l.backward(x, out, Tensor.zeros(b, T, U), gx);
            assertArrayEquals(new float[b * T * F], gx.buffer(), "zero dL/dout gives zero dL/dx");
        }
    }

    /**
     * A batch large enough to be split into parts (run on different cores) computes, for every
     * example, what that example alone computes: the same outputs and dL/dx, and parameter
     * gradients that are the sum of the examples' (float tolerance: the parts sum in another order).
     */
    @ParameterizedTest
    @ValueSource(ints = {16, 40, 70})
    void aSplitBatchComputesWhatEachExampleAloneComputes(int b) {
        for (boolean sequences : new boolean[] {true, false}) {
            Random random = new Random(b);
            Lstm l = randomLstm(sequences, random);
            Tensor x = Tensor.wrap(GradCheck.uniform(random, b * T * F), b, T, F);
            Tensor out = Tensor.zeros(outShape(sequences, b));
            Tensor gOut = Tensor.wrap(GradCheck.uniform(random, out.size()), out.shape());
            Tensor gx = Tensor.zeros(b, T, F);
            l.forward(x, out);
            l.backward(x, out, gOut, gx);
            float[][] whole = grads(l);

            int perOut = out.size() / b;
            double[][] summed = new double[3][];
            for (int p = 0; p < 3; p++) {
                summed[p] = new double[whole[p].length];
            }
            for (int n = 0; n < b; n++) {
                zeroGrads(l);
                Tensor xn = Tensor.wrap(java.util.Arrays.copyOfRange(x.buffer(), n * T * F, (n + 1) * T * F), 1, T, F);
                Tensor on = Tensor.zeros(outShape(sequences, 1));
                Tensor gn = Tensor.wrap(java.util.Arrays.copyOfRange(gOut.buffer(), n * perOut, (n + 1) * perOut), on.shape());
                Tensor gxn = Tensor.zeros(1, T, F);
                l.forward(xn, on);
                l.backward(xn, on, gn, gxn);
                String where = "B=" + b + (sequences ? " sequences" : "") + ", example " + n;
                assertArrayEquals(on.buffer(), java.util.Arrays.copyOfRange(out.buffer(), n * perOut, (n + 1) * perOut),
                        1e-6f, where + ": out");
                assertArrayEquals(gxn.buffer(), java.util.Arrays.copyOfRange(gx.buffer(), n * T * F, (n + 1) * T * F),
                        1e-6f, where + ": dL/dx");
                float[][] one = grads(l);
                for (int p = 0; p < 3; p++) {
                    for (int i = 0; i < one[p].length; i++) {
                        summed[p][i] += one[p][i];
                    }
                }
            }
            for (int p = 0; p < 3; p++) {
                assertClose("B=" + b + " parameter " + p + " gradient", summed[p], whole[p], 1e-5, 1e-5);
            }
        }
    }

    private static float[][] grads(Lstm l) {
        List<Parameter> ps = l.parameters();
        float[][] g = new float[ps.size()][];
        for (int p = 0; p < ps.size(); p++) {
            g[p] = ps.get(p).grad().toArray();
        }
        return g;
    }

    private static void zeroGrads(Lstm l) {
        for (Parameter p : l.parameters()) {
            p.zeroGrad();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gradientsMatchCentralDifferences(boolean sequences) {
        Random random = new Random(sequences ? 50 : 51);
        Lstm l = randomLstm(sequences, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, B * T * F), B, T, F);
        int[] outShape = outShape(sequences, B);
        double[] r = GradCheck.gaussian(random, sizeOf(outShape));
        Tensor out = Tensor.zeros(outShape);
        Tensor gx = Tensor.zeros(B, T, F);
        l.forward(x, out);
        l.backward(x, out, GradCheck.asTensor(r, outShape), gx);
        float[] gk = l.parameters().get(0).grad().toArray();
        float[] gu = l.parameters().get(1).grad().toArray();
        float[] gb = l.parameters().get(2).grad().toArray();

        GradCheck.check(sequences ? "sequences" : "last", new String[] {"kernel", "recurrent_kernel", "bias", "x"},
                new float[][] {l.kernel().buffer(), l.recurrentKernel().buffer(), l.bias().buffer(), x.buffer()},
                new float[][] {gk, gu, gb, gx.toArray()}, out, r,
                a -> Layers64.lstm(new T64(a[3], new int[] {B, T, F}), new T64(a[0], new int[] {F, 4 * U}),
                        new T64(a[1], new int[] {U, 4 * U}), new T64(a[2], new int[] {4 * U}), sequences), random);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void valuesAndGradientsMatchPyTorch(boolean sequences, @TempDir Path dir) throws IOException {
        Map<String, Tensor> ref = reference(dir);
        Tensor x = ref.get("x");
        int b = x.dim(0);
        int steps = x.dim(1);
        int features = x.dim(2);
        int units = ref.get("recurrent_kernel").dim(0);
        Lstm l = new Lstm("lstm", steps, features, units, sequences);
        l.kernel().copyFrom(ref.get("kernel"));
        l.recurrentKernel().copyFrom(ref.get("recurrent_kernel"));
        l.bias().copyFrom(ref.get("bias"));
        String mode = sequences ? "seq." : "last.";
        Tensor r = ref.get(mode + "r");
        Tensor out = Tensor.zeros(r.shape());
        Tensor gx = Tensor.zeros(x.shape());
        l.forward(x, out);
        l.backward(x, out, r.copy(), gx);
        assertClose(mode + "out", ref.get(mode + "out"), out);
        assertClose(mode + "grad.kernel", ref.get(mode + "grad.kernel"), l.parameters().get(0).grad());
        assertClose(mode + "grad.recurrent_kernel", ref.get(mode + "grad.recurrent_kernel"),
                l.parameters().get(1).grad());
        assertClose(mode + "grad.bias", ref.get(mode + "grad.bias"), l.parameters().get(2).grad());
        assertClose(mode + "grad.x", ref.get(mode + "grad.x"), gx);
        assertEquals(b, out.dim(0));
    }

    @Test
    void backwardAccumulatesParameterGradsAndGx() {
        Random random = new Random(6);
        Lstm l = randomLstm(true, random);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, B * T * F), B, T, F);
        double[] r = GradCheck.gaussian(random, B * T * U);
        Tensor out = Tensor.zeros(B, T, U);
        Tensor gx = Tensor.zeros(B, T, F);
        l.forward(x, out);
        l.backward(x, out, GradCheck.asTensor(r, B, T, U), gx);
        float[][] once = {l.parameters().get(0).grad().toArray(), l.parameters().get(1).grad().toArray(),
            l.parameters().get(2).grad().toArray(), gx.toArray()};

        l.backward(x, out, GradCheck.asTensor(r, B, T, U), gx);

        float[][] twice = {l.parameters().get(0).grad().toArray(), l.parameters().get(1).grad().toArray(),
            l.parameters().get(2).grad().toArray(), gx.toArray()};
        String[] names = {"kernel", "recurrent_kernel", "bias", "x"};
        for (int a = 0; a < once.length; a++) {
            for (int i = 0; i < once[a].length; i++) {
                assertEquals(2 * once[a][i], twice[a][i], 1e-6f * (1 + Math.abs(once[a][i])), names[a] + " accumulates");
            }
        }
        l.backward(x, out, GradCheck.asTensor(r, B, T, U), null); // no input gradient wanted
    }

    @Test
    void badShapesAreNamed() {
        Lstm l = randomLstm(false, new Random(7));
        l.forward(Tensor.zeros(2, T, F), Tensor.zeros(2, U));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.forward(Tensor.zeros(2, T, F), Tensor.zeros(2, T, U)));
        assertEquals("Lstm lstm forward: expected x (B, 4, 3) and out (B, 4), got x [2, 4, 3] and out [2, 4, 4]",
                e.getMessage());
        Lstm seq = randomLstm(true, new Random(7));
        e = assertThrows(IllegalArgumentException.class, () -> seq.forward(Tensor.zeros(2, T + 1, F),
                Tensor.zeros(2, T, U)));
        assertEquals("Lstm lstm forward: expected x (B, 4, 3) and out (B, 4, 4), got x [2, 5, 3] and out [2, 4, 4]",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> seq.forward(Tensor.zeros(2, T, F), Tensor.zeros(3, T, U)));
        e = assertThrows(IllegalArgumentException.class, () -> new Lstm("rnn", 0, F, U, true));
        assertEquals("Lstm rnn: steps, features and units must be positive, got steps=0, features=3, units=4",
                e.getMessage());
    }

    @Test
    void backwardWithoutMatchingForwardFails() {
        Lstm l = randomLstm(true, new Random(8));
        Tensor x = Tensor.zeros(2, T, F);
        Tensor out = Tensor.zeros(2, T, U);
        assertThrows(IllegalStateException.class, () -> l.backward(x, out, Tensor.zeros(2, T, U), null));
        l.forward(x, out);
        Tensor other = Tensor.zeros(2, T, F);
        assertThrows(IllegalStateException.class, () -> l.backward(other, out, Tensor.zeros(2, T, U), null));
        assertThrows(IllegalArgumentException.class, () -> l.backward(x, out, Tensor.zeros(2, U), null));
        assertThrows(IllegalArgumentException.class,
                () -> l.backward(x, out, Tensor.zeros(2, T, U), Tensor.zeros(2, T, F + 1)));
    }

    private static Lstm randomLstm(boolean sequences, Random random) {
        Lstm l = new Lstm("lstm", T, F, U, sequences);
        l.initialize(random);
        float[] b = l.bias().buffer();
        for (int i = 0; i < b.length; i++) {
            b[i] += (float) (0.5 * random.nextGaussian()); // distinct gate biases catch a mixed-up gate order
        }
        return l;
    }

    private static int[] outShape(boolean sequences, int b) {
        return sequences ? new int[] {b, T, U} : new int[] {b, U};
    }

    private static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Keras's LSTM step by step in double, written out directly from the gate equations. */
    private static double[] naive(Lstm l, Tensor x) {
        int b = x.dim(0);
        int u = l.units();
        float[] xs = x.buffer();
        float[] k = l.kernel().buffer();
        float[] w = l.recurrentKernel().buffer();
        float[] bias = l.bias().buffer();
        double[] out = new double[l.returnSequences() ? b * T * u : b * u];
        for (int n = 0; n < b; n++) {
            double[] h = new double[u];
            double[] c = new double[u];
            for (int t = 0; t < T; t++) {
                double[] z = new double[4 * u];
                for (int j = 0; j < 4 * u; j++) {
                    z[j] = bias[j];
                    for (int f = 0; f < F; f++) {
                        z[j] += xs[(n * T + t) * F + f] * (double) k[f * 4 * u + j];
                    }
                    for (int m = 0; m < u; m++) {
                        z[j] += h[m] * w[m * 4 * u + j];
                    }
                }
                for (int m = 0; m < u; m++) {
                    double i = 1 / (1 + Math.exp(-z[m]));
                    double f = 1 / (1 + Math.exp(-z[u + m]));
                    double g = Math.tanh(z[2 * u + m]);
                    double o = 1 / (1 + Math.exp(-z[3 * u + m]));
                    c[m] = f * c[m] + i * g;
                    h[m] = o * Math.tanh(c[m]);
                }
                if (l.returnSequences()) {
                    System.arraycopy(h, 0, out, (n * T + t) * u, u);
                }
            }
            if (!l.returnSequences()) {
                System.arraycopy(h, 0, out, n * u, u);
            }
        }
        return out;
    }

    private static Map<String, Tensor> reference(Path dir) throws IOException {
        Path file = dir.resolve("lstm_reference.safetensors");
        try (InputStream in = LstmTest.class.getResourceAsStream("lstm_reference.safetensors")) {
            assertNotNull(in, "lstm_reference.safetensors is missing; see runtime/src/test/python/README.md");
            Files.copy(in, file);
        }
        return Safetensors.read(file);
    }

    /** PyTorch in float64 vs our float32: relative 1e-4 with an absolute floor of 1e-6. */
    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.buffer();
        double[] d = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            d[i] = e[i];
        }
        assertClose(what, d, actual.buffer(), 1e-4, 1e-6);
    }

    private static void assertClose(String what, double[] expected, float[] actual, double relative, double absolute) {
        assertEquals(expected.length, actual.length, what + " size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * Math.abs(expected[i]) + absolute, what + "[" + i + "]");
        }
    }
}
