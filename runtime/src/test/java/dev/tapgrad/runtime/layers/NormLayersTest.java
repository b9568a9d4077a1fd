package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BatchNorm and LayerNorm against PyTorch (runtime/src/test/python/make_norm_reference.py):
 * values and gradients of {@code L = Σ out·r} within 1e-4 relative, BatchNorm in training (batch
 * statistics; fit's moving-statistics update with Keras's biased variance, which the script computes
 * where torch's unbiased update differs), in gradients' training mode (same values, no update) and
 * in inference (moving statistics). Input gradients are accumulated into a buffer that already holds
 * 0.5 everywhere, as generated graphs rely on.
 */
class NormLayersTest {
    private static final float PRESET = 0.5f;
    private static final double KERAS_MOMENTUM = 0.9;
    private static final double EPSILON = 1e-3;
    private static Map<String, Tensor> ref;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("norm_reference.safetensors");
        try (InputStream in = NormLayersTest.class.getResourceAsStream("norm_reference.safetensors")) {
            assertNotNull(in, "norm_reference.safetensors is missing; run runtime/src/test/python/make_norm_reference.py");
            Files.copy(in, file);
        }
        ref = Safetensors.read(file);
    }

    @Test
    void batchNormInFitUsesBatchStatisticsAndMovesTheMovingOnes() {
        for (String name : List.of("bn_train_nhwc", "bn_train_vec")) {
            Mode mode = new Mode(0);
            mode.fitting();
            BatchNorm bn = batchNorm(name, mode);
            run(name, bn);
            assertClose(name + ".moving_mean", ref.get(name + ".moving_mean").buffer(), bn.state().get(0).value().buffer(), 0);
            assertClose(name + ".moving_variance", ref.get(name + ".moving_variance").buffer(),
                    bn.state().get(1).value().buffer(), 0);
        }
    }

    @Test
    void batchNormInGradientsTrainsButLeavesTheMovingStatistics() {
        String name = "bn_train_nhwc";
        Mode mode = new Mode(0);
        mode.differentiating();
        BatchNorm bn = batchNorm(name, mode);
        run(name, bn);
        assertArrayEquals(ref.get(name + ".mm0").buffer(), bn.state().get(0).value().buffer());
        assertArrayEquals(ref.get(name + ".mv0").buffer(), bn.state().get(1).value().buffer());
    }

    @Test
    void batchNormInInferenceUsesTheMovingStatistics() {
        String name = "bn_infer_nhwc";
        Mode mode = new Mode(0);
        mode.inferring();
        BatchNorm bn = batchNorm(name, mode);
        run(name, bn);
        assertArrayEquals(ref.get(name + ".mm0").buffer(), bn.state().get(0).value().buffer());
        assertArrayEquals(ref.get(name + ".mv0").buffer(), bn.state().get(1).value().buffer());
    }

    @Test
    void layerNorm() {
        for (String name : List.of("ln_seq", "ln_vec")) {
            Tensor x = ref.get(name + ".x");
            LayerNorm ln = new LayerNorm("ln", x.dim(-1), EPSILON);
            setParameters(ln.parameters(), name);
            run(name, ln);
        }
    }

    @Test
    void parametersAndStateHaveKerasNamesAndInitialValues() {
        BatchNorm bn = new BatchNorm("bn", 3, 0.99, 1e-3);
        assertEquals(List.of("bn.gamma", "bn.beta"), bn.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("bn.moving_mean", "bn.moving_variance"), bn.state().stream().map(Parameter::name).toList());
        assertArrayEquals(new float[] {1, 1, 1}, bn.parameters().get(0).value().buffer());
        assertArrayEquals(new float[] {0, 0, 0}, bn.parameters().get(1).value().buffer());
        assertArrayEquals(new float[] {0, 0, 0}, bn.state().get(0).value().buffer());
        assertArrayEquals(new float[] {1, 1, 1}, bn.state().get(1).value().buffer());
        LayerNorm ln = new LayerNorm("ln", 2, 1e-3);
        assertEquals(List.of("ln.gamma", "ln.beta"), ln.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of(), ln.state());
        assertArrayEquals(new int[] {4, 5, 2}, ln.outputShape(new int[] {4, 5, 2}));
        assertThrows(IllegalArgumentException.class, () -> bn.outputShape(new int[] {4, 2}));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm("bn", 3, 1.5, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm("ln", 3, 0));
    }

    @Test
    void batchNormWarmUpRunsACopyWhereTheVectorPassesRun() {
        BatchNorm bn = new BatchNorm("bn", 16, 0.99, 1e-3);
        WarmUp w = bn.warmUp();
        if (!"vector".equals(dev.tapgrad.runtime.kernel.norm.ChannelNorm.pathName())) {
            assertEquals(null, w, "the portable passes need no warm-up");
            return;
        }
        assertEquals("BatchNorm 16", w.key());
        w.pass().run();
        w.pass().run();
        // the copy's tensors only: this layer's parameters, gradients and statistics are untouched
        assertArrayEquals(new float[16], bn.parameters().get(0).grad().buffer());
        assertArrayEquals(new float[16], bn.parameters().get(1).grad().buffer());
        assertArrayEquals(new float[16], bn.state().get(0).value().buffer());
        float[] ones = new float[16];
        java.util.Arrays.fill(ones, 1f);
        assertArrayEquals(ones, bn.state().get(1).value().buffer());
        assertArrayEquals(ones, bn.parameters().get(0).value().buffer());
    }

    private static BatchNorm batchNorm(String name, Mode mode) {
        Tensor x = ref.get(name + ".x");
        BatchNorm bn = new BatchNorm("bn", x.dim(-1), KERAS_MOMENTUM, EPSILON);
        bn.useMode(mode, 0);
        setParameters(bn.parameters(), name);
        bn.state().get(0).value().copyFrom(ref.get(name + ".mm0"));
        bn.state().get(1).value().copyFrom(ref.get(name + ".mv0"));
        return bn;
    }

    private static void setParameters(List<Parameter> p, String name) {
        p.get(0).value().copyFrom(ref.get(name + ".gamma"));
        p.get(1).value().copyFrom(ref.get(name + ".beta"));
    }

    /** One forward and backward; out, dL/dx (into a preset buffer), dL/dgamma and dL/dbeta against the reference. */
    private static void run(String name, AbstractLayer layer) {
        Tensor x = ref.get(name + ".x");
        Tensor r = ref.get(name + ".r");
        Tensor out = Tensor.zeros(layer.outputShape(x.shape()));
        Tensor gx = Tensor.zeros(x.shape());
        gx.fill(PRESET);
        if (layer instanceof BatchNorm bn) {
            bn.forward(x, out);
            bn.backward(x, r, gx);
        } else {
            LayerNorm ln = (LayerNorm) layer;
            ln.forward(x, out);
            ln.backward(x, r, gx);
        }
        assertClose(name + ".out", ref.get(name + ".out").buffer(), out.buffer(), 0);
        assertClose(name + ".grad.x", ref.get(name + ".grad.x").buffer(), gx.buffer(), 1);
        assertClose(name + ".grad.gamma", ref.get(name + ".grad.gamma").buffer(), layer.parameters().get(0).grad().buffer(), 0);
        assertClose(name + ".grad.beta", ref.get(name + ".grad.beta").buffer(), layer.parameters().get(1).grad().buffer(), 0);
    }

    /** actual against expected (passes 0), or against PRESET plus {@code passes} accumulated copies of expected. */
    private static void assertClose(String what, float[] expected, float[] actual, int passes) {
        assertEquals(expected.length, actual.length, what + ": size");
        double largest = 0;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double e = passes == 0 ? expected[i] : PRESET + passes * (double) expected[i];
            assertEquals(e, actual[i], 1e-4 * Math.abs(e) + 1e-6 * largest + 1e-7, what + "[" + i + "]");
        }
    }
}
