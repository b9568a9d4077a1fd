package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.TapgradDataException;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gru and Embedding against PyTorch (runtime/src/test/python/make_text_reference.py: torch.nn.GRU
 * with Keras's weights mapped to its gate order, F.embedding) within 1e-4 relative, and against
 * float64 central differences of Layers64's plain-loops references. "gru_parts" has a batch of 37,
 * which the layer splits into two parts. Input gradients accumulate into a buffer preset to 0.5.
 */
class GruLayersTest {
    private static final float PRESET = 0.5f;
    private static Map<String, Tensor> ref;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gru_reference.safetensors");
        try (InputStream in = GruLayersTest.class.getResourceAsStream("gru_reference.safetensors")) {
            assertNotNull(in, "gru_reference.safetensors is missing; run runtime/src/test/python/make_text_reference.py");
            Files.copy(in, file);
        }
        ref = Safetensors.read(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gru_seq", "gru_last", "gru_parts"})
    void gruMatchesPyTorch(String name) {
        Tensor x = ref.get(name + ".x");
        Tensor r = ref.get(name + ".r");
        int units = ref.get(name + ".recurrent_kernel").dim(0);
        Gru gru = new Gru("gru", x.dim(1), x.dim(2), units, r.rank() == 3);
        gru.kernel().copyFrom(ref.get(name + ".kernel"));
        gru.recurrentKernel().copyFrom(ref.get(name + ".recurrent_kernel"));
        gru.bias().copyFrom(ref.get(name + ".bias"));
        Tensor out = Tensor.zeros(gru.outputShape(x.shape()));
        Tensor gx = filled(PRESET, x.shape());
        gru.forward(x, out);
        gru.backward(x, out, r.copy(), gx);
        assertClose(name + ".out", ref.get(name + ".out"), out.buffer(), 0);
        assertClose(name + ".grad.x", ref.get(name + ".grad.x"), gx.buffer(), PRESET);
        String[] names = {"kernel", "recurrent_kernel", "bias"};
        for (int p = 0; p < 3; p++) {
            assertClose(name + ".grad." + names[p], ref.get(name + ".grad." + names[p]), gru.parameters().get(p).grad().buffer(), 0);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gruGradientsMatchFloat64CentralDifferences(boolean sequences) {
        int b = 3;
        int t = 4;
        int f = 3;
        int u = 5;
        Random random = new Random(sequences ? 60 : 61);
        Gru gru = new Gru("g", t, f, u, sequences);
        gru.initialize(random);
        float[] bias = GradCheck.uniform(random, 6 * u);
        System.arraycopy(bias, 0, gru.bias().buffer(), 0, bias.length);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, b * t * f), b, t, f);
        int[] outShape = gru.outputShape(x.shape());
        Tensor out = Tensor.zeros(outShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(x.shape());
        gru.forward(x, out);
        gru.backward(x, out, GradCheck.asTensor(r, outShape), gx);
        List<Parameter> ps = gru.parameters();
        GradCheck.check("gru " + (sequences ? "sequences" : "last"), new String[] {"kernel", "recurrent_kernel", "bias", "x"},
                new float[][] {gru.kernel().buffer(), gru.recurrentKernel().buffer(), gru.bias().buffer(), x.buffer()},
                new float[][] {ps.get(0).grad().toArray(), ps.get(1).grad().toArray(), ps.get(2).grad().toArray(), gx.toArray()},
                out, r, a -> Layers64.gru(new T64(a[3], new int[] {b, t, f}), new T64(a[0], new int[] {f, 3 * u}),
                        new T64(a[1], new int[] {u, 3 * u}), new T64(a[2], new int[] {2, 3 * u}), sequences), random);
    }

    @Test
    void gruParametersAndInitialisationFollowKeras() {
        Gru gru = new Gru("gru1", 7, 4, 6, false);
        List<Parameter> ps = gru.parameters();
        assertEquals(List.of("gru1.kernel", "gru1.recurrent_kernel", "gru1.bias"), ps.stream().map(Parameter::name).toList());
        assertArrayEquals(new int[] {4, 18}, ps.get(0).value().shape());
        assertArrayEquals(new int[] {6, 18}, ps.get(1).value().shape());
        assertArrayEquals(new int[] {2, 18}, ps.get(2).value().shape());
        gru.bias().buffer()[3] = 9f;
        gru.initialize(new Random(3));
        assertArrayEquals(new float[36], gru.bias().buffer(), "zero bias");
        double limit = Math.sqrt(6.0 / (4 + 18));
        for (float v : gru.kernel().buffer()) {
            assertTrue(Math.abs(v) <= limit, "glorot-uniform bound");
        }
        // Orthogonal on a wide (6, 18) matrix: orthonormal rows, W·Wᵀ = I.
        float[] w = gru.recurrentKernel().buffer();
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double dot = 0;
                for (int k = 0; k < 18; k++) {
                    dot += (double) w[i * 18 + k] * w[j * 18 + k];
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-5, "row " + i + " · row " + j);
            }
        }
    }

    @Test
    void gruBackwardNeedsItsForward() {
        Gru gru = new Gru("g", 2, 1, 2, true);
        Tensor x = Tensor.zeros(1, 2, 1);
        Tensor out = Tensor.zeros(1, 2, 2);
        assertThrows(IllegalStateException.class, () -> gru.backward(x, out, out, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gru.forward(x, Tensor.zeros(1, 2)));
        assertEquals("Gru g forward: expected x (B, 2, 1) and out (B, 2, 2), got x [1, 2, 1] and out [1, 2]", e.getMessage());
    }

    @Test
    void embeddingMatchesPyTorch() {
        Tensor ids = ref.get("emb.ids");
        Tensor table = ref.get("emb.embeddings");
        Embedding emb = new Embedding("emb", table.dim(0), table.dim(1));
        emb.embeddings().copyFrom(table);
        Tensor out = Tensor.zeros(emb.outputShape(ids.shape()));
        emb.forward(ids, out);
        emb.backward(ids, ref.get("emb.r"));
        assertClose("emb.out", ref.get("emb.out"), out.buffer(), 0);
        assertClose("emb.grad.embeddings", ref.get("emb.grad.embeddings"), emb.parameters().get(0).grad().buffer(), 0);
    }

    @Test
    void embeddingGradientMatchesFloat64CentralDifferences() {
        Random random = new Random(70);
        Embedding emb = new Embedding("e", 6, 4);
        emb.initialize(random);
        float[] idv = {5, 0, 0, 2, 5, 5, 1, 3};
        Tensor ids = Tensor.wrap(idv, 2, 4);
        Tensor out = Tensor.zeros(2, 4, 4);
        double[] r = GradCheck.gaussian(random, out.size());
        emb.forward(ids, out);
        emb.backward(ids, GradCheck.asTensor(r, 2, 4, 4));
        double[] idd = new double[idv.length];
        for (int i = 0; i < idv.length; i++) {
            idd[i] = idv[i];
        }
        GradCheck.check("embedding", new String[] {"embeddings"}, new float[][] {emb.embeddings().buffer()},
                new float[][] {emb.parameters().get(0).grad().toArray()}, out, r,
                a -> Layers64.embedding(idd, new int[] {2, 4}, new T64(a[0], new int[] {6, 4})), random);
    }

    @Test
    void embeddingNamesAndInitialisationFollowKeras() {
        Embedding emb = new Embedding("tokens", 50, 8);
        assertEquals("tokens.embeddings", emb.parameters().get(0).name());
        assertArrayEquals(new int[] {50, 8}, emb.embeddings().shape());
        assertArrayEquals(new int[] {3, 8}, emb.outputShape(new int[] {3}));
        assertArrayEquals(new int[] {3, 9, 8}, emb.outputShape(new int[] {3, 9}));
        emb.initialize(new Random(1));
        double max = 0;
        for (float v : emb.embeddings().buffer()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= 0.05 && max > 0.04, "uniform(-0.05, 0.05), got max |v| " + max);
    }

    @Test
    void badIdsAreNamedBeforeAnythingChanges() {
        Embedding emb = new Embedding("tokens", 10, 2);
        emb.initialize(new Random(2));
        Tensor out = filled(7f, 2, 3, 2);
        String[] expected = {
            "Embedding tokens: id 10.0 at example 1, step 2 is outside [0, 10); ids must be integers 0 … 9 (raise vocabulary or map the id)",
            "Embedding tokens: id -1.0 at example 1, step 2 is outside [0, 10); ids must be integers 0 … 9 (raise vocabulary or map the id)",
            "Embedding tokens: id 2.5 at example 1, step 2 is not an integer; ids must be integers 0 … 9 (raise vocabulary or map the id)",
            "Embedding tokens: id NaN at example 1, step 2 is not an integer; ids must be integers 0 … 9 (raise vocabulary or map the id)",
        };
        float[] bad = {10f, -1f, 2.5f, Float.NaN};
        for (int c = 0; c < bad.length; c++) {
            Tensor ids = Tensor.wrap(new float[] {1, 2, 3, 4, 5, bad[c]}, 2, 3);
            TapgradDataException e = assertThrows(TapgradDataException.class, () -> emb.forward(ids, out));
            assertEquals(expected[c], e.getMessage());
            assertArrayEquals(filled(7f, 2, 3, 2).buffer(), out.buffer(), "out untouched");
        }
    }

    private static Tensor filled(float v, int... shape) {
        Tensor t = Tensor.zeros(shape);
        java.util.Arrays.fill(t.buffer(), v);
        return t;
    }

    /** float32 against PyTorch's float64: 1e-4 relative, with a floor of 1e-4 of the largest value. */
    private static void assertClose(String what, Tensor expected, float[] actual, float preset) {
        float[] e = expected.buffer();
        assertEquals(e.length, actual.length, what + " size");
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], actual[i] - preset, 1e-4 * Math.max(Math.abs(e[i]), 1e-2 * scale) + 1e-7, what + " [" + i + "]");
        }
    }
}
