package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.tapgrad.Activation.LINEAR;
import static dev.tapgrad.runtime.f64.Layers64.dense;
import static dev.tapgrad.runtime.f64.Ops64.add;
import static dev.tapgrad.runtime.f64.Ops64.exp;
import static dev.tapgrad.runtime.f64.Ops64.matmul;
import static dev.tapgrad.runtime.f64.Ops64.mse;
import static dev.tapgrad.runtime.f64.Ops64.mul;
import static dev.tapgrad.runtime.f64.Ops64.scale;
import static dev.tapgrad.runtime.f64.Ops64.sigmoid;
import static dev.tapgrad.runtime.f64.Ops64.square;
import static dev.tapgrad.runtime.f64.Ops64.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.io.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom layers (resources/custom): Swish (DESIGN.md's, one input, two weights) and Gate (two
 * inputs, one weight) inside models, through the generated graph's public API. Values and
 * gradients match PyTorch (make_custom_layer_reference.py) within 1e-4 in float32 and float64
 * central differences of a double reference; the weights are saved and loaded as {@code
 * layer.name}; an aux loss taps {@code swish.kernel}; the model's field holds the user's class with
 * the live weights.
 */
class CustomLayerTest {
    private static final Path FIXTURES = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/resources/custom");
    static final List<String> SWISH_PARAMS = List.of("swish.kernel", "swish.bias", "out.kernel", "out.bias");
    static final List<String> GATE_PARAMS = List.of("a.kernel", "a.bias", "b.kernel", "b.bias", "gate.scale");

    static Compilation compileSwishNet() {
        return Compile.compile(Compile.resource("custom/Swish.java"), Compile.resource("custom/SwishNet.java"));
    }

    private static Compilation compileGateNet() {
        return Compile.compile(Compile.resource("custom/Gate.java"), Compile.resource("custom/GateNet.java"));
    }

    static TrainableModel model(ClassLoader loader, String name, long seed) throws Exception {
        return (TrainableModel) loader.loadClass("custom." + name + "Graph").getConstructor(long.class).newInstance(seed);
    }

    @Test
    void compileWithoutWarningsAndGenerateOneRuntimeLayerEach() {
        for (Compilation c : List.of(compileSwishNet(), compileGateNet())) {
            assertThat(c).succeededWithoutWarnings();
        }
        assertThat(compileSwishNet()).generatedSourceFile("custom.SwishLayer").contentsAsUtf8String()
                .contains("Tensor dH = Arithmetic.mulAdjointA(h, t5, t6, gOut);");
        assertThat(compileGateNet()).generatedSourceFile("custom.GateNetGraph").contentsAsUtf8String()
                .contains("gateLayer.backward(gateInputs, gateOut, gateGrad, gateInputGrads);");
    }

    @Test
    void aCallThatTakesTheModeGetsItAndDrawsFromTheGraphsGenerator() throws Exception {
        Compilation c = Compile.compile(Compile.resource("custom/Noisy.java"), Compile.source("custom.NoisyNet",
                "package custom;",
                "@dev.tapgrad.Model(input = {3}, loss = dev.tapgrad.LossKind.MSE)",
                "public abstract class NoisyNet {",
                "    @dev.tapgrad.Layer(units = 3) dev.tapgrad.runtime.layers.Dense dense;",
                "    @dev.tapgrad.Layer Noisy noisy;",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("custom.NoisyLayer").contentsAsUtf8String()
                .contains("definition.call(Tensor.zeros(oneExample(inputShapes[0])), training())");
        GeneratedClasses loader = new GeneratedClasses(c);
        Random random = new Random(2);
        Tensor x = Tensor.randn(random, 4, 3);
        Tensor y = Tensor.randn(random, 4, 3);
        Gradients a = model(loader, "NoisyNet", 7).gradients(x, y);
        Gradients b = model(loader, "NoisyNet", 7).gradients(x, y);
        Gradients other = model(loader, "NoisyNet", 8).gradients(x, y);
        assertEquals(a.loss(), b.loss(), 0.0, "the same seed draws the same noise");
        assertThat(other.loss()).isNotEqualTo(a.loss());
        assertArrayEquals(a.get("dense.kernel").toArray(), b.get("dense.kernel").toArray());
    }

    @Test
    void swishNetMatchesPyTorch() throws Exception {
        TrainableModel m = model(new GeneratedClasses(compileSwishNet()), "SwishNet", 1);
        Gradients g = matchesPyTorch(m, "swish_net", SWISH_PARAMS);
        // the tap on swish.kernel: its term is Σ kernel² of the loaded kernel
        Tensor kernel = Safetensors.read(FIXTURES.resolve("swish_net.safetensors")).get("swish.kernel");
        double expected = 0;
        for (float v : kernel.toArray()) {
            expected += (double) v * v;
        }
        assertEquals(expected, g.terms().get("l2"), 1e-5 * expected);
        // the model's field is the user's Swish, whose weight fields are the live (loaded) weights
        assertArrayEquals(kernel.toArray(), userWeight(m, "swish", "kernel").toArray());
    }

    @Test
    void gateNetMatchesPyTorch() throws Exception {
        matchesPyTorch(model(new GeneratedClasses(compileGateNet()), "GateNet", 1), "gate_net", GATE_PARAMS);
    }

    /** Loads the fixture's weights, then compares loss and every gradient with PyTorch's, within 1e-4. */
    static Gradients matchesPyTorch(TrainableModel m, String fixture, List<String> params) throws Exception {
        m.load(FIXTURES.resolve(fixture + ".safetensors"));
        Map<String, Tensor> ref = Safetensors.read(FIXTURES.resolve(fixture + "_reference.safetensors"));
        Gradients g = m.gradients(ref.get("x"), ref.get("y"));
        double loss = ref.get("loss").item();
        assertEquals(loss, g.loss(), 1e-4 * Math.abs(loss), "total loss");
        for (String p : params) {
            float[] expected = ref.get("grad." + p).toArray();
            float[] actual = g.get(p).toArray();
            double largest = 0;
            for (float v : expected) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]) + 1e-6 * largest, "d/d " + p + "[" + i + "]");
            }
        }
        return g;
    }

    @Test
    void swishNetGradientMatchesFloat64CentralDifferences() throws Exception {
        TrainableModel m = model(new GeneratedClasses(compileSwishNet()), "SwishNet", 42);
        finiteDifferences(m, SWISH_PARAMS, 4, 2, p -> {
            T64 h = add(matmul(p[0], p[1]), p[2]);
            T64 out = dense(mul(h, sigmoid(h)), p[3], p[4], LINEAR);
            return mse(p[5], out).item() + 0.01 * sum(square(p[1])).item();
        });
    }

    @Test
    void gateNetGradientMatchesFloat64CentralDifferences() throws Exception {
        TrainableModel m = model(new GeneratedClasses(compileGateNet()), "GateNet", 42);
        finiteDifferences(m, GATE_PARAMS, 4, 3, p -> {
            T64 a = dense(p[0], p[1], p[2], LINEAR);
            T64 b = dense(p[0], p[3], p[4], LINEAR);
            return mse(p[6], add(a, mul(exp(scale(0.5, b)), p[5]))).item();
        });
    }

    /**
     * The generated gradient at the seed's weights against float64 central differences of {@code
     * reference}, which takes (x, the params in order, y).
     */
    private static void finiteDifferences(TrainableModel m, List<String> params, int in, int out,
            Function<T64[], Double> reference) throws Exception {
        Random random = new Random(5);
        Tensor x = Tensor.randn(random, 6, in);
        Tensor y = Tensor.randn(random, 6, out);
        Gradients g = m.gradients(x, y);
        List<Tensor> values = params.stream().map(p -> parameter(m, p)).toList();
        int[][] shapes = values.stream().map(Tensor::shape).toArray(int[][]::new);
        float[][] analytic = params.stream().map(p -> g.get(p).toArray()).toArray(float[][]::new);
        Check64.Scalar loss = a -> {
            T64[] p = new T64[a.length + 2];
            p[0] = T64.of(x);
            for (int k = 0; k < a.length; k++) {
                p[k + 1] = new T64(a[k], shapes[k]);
            }
            p[a.length + 1] = T64.of(y);
            return reference.apply(p);
        };
        double[][] at = Check64.widen(values.stream().map(Tensor::toArray).toArray(float[][]::new));
        Check64.assertSameValues("total loss", T64.scalar(loss.at(at)), new float[] {(float) g.loss()});
        Check64.gradients("custom layer", params.toArray(String[]::new), at, analytic, loss, random);
    }

    @Test
    void customWeightsAreSavedAndLoadedAsLayerDotName(@TempDir Path dir) throws Exception {
        GeneratedClasses loader = new GeneratedClasses(compileSwishNet());
        TrainableModel a = model(loader, "SwishNet", 3);
        Path file = dir.resolve("swish.safetensors");
        a.save(file);
        Map<String, Tensor> saved = Safetensors.read(file);
        assertThat(saved.keySet()).containsExactlyElementsIn(SWISH_PARAMS);
        assertArrayEquals(new int[] {4, 3}, saved.get("swish.kernel").shape());
        assertArrayEquals(new int[] {3}, saved.get("swish.bias").shape());
        TrainableModel b = model(loader, "SwishNet", 4);
        Tensor x = Tensor.randn(new Random(1), 2, 4);
        assertThat(b.predict(x).toArray()).isNotEqualTo(a.predict(x).toArray());
        b.load(file);
        assertArrayEquals(a.predict(x).toArray(), b.predict(x).toArray());
        assertArrayEquals(saved.get("swish.kernel").toArray(), userWeight(b, "swish", "kernel").toArray());
    }

    /** The live value of parameter {@code layer.param}: the user's class's weight field of the layer. */
    static Tensor parameter(TrainableModel m, String name) {
        String[] parts = name.split("\\.");
        try {
            var field = m.getClass().getSuperclass().getDeclaredField(parts[0]);
            field.setAccessible(true);
            Object layer = field.get(m);
            if (layer instanceof dev.tapgrad.runtime.layers.AbstractLayer) {
                return GeneratedClasses.parameter(m, name);
            }
            return userWeight(m, parts[0], parts[1]);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Field {@code weight} of the user's custom-layer class held by the model's field {@code layer}. */
    static Tensor userWeight(TrainableModel m, String layer, String weight) throws ReflectiveOperationException {
        var field = m.getClass().getSuperclass().getDeclaredField(layer);
        field.setAccessible(true);
        Object definition = field.get(m);
        var w = field.getType().getDeclaredField(weight);
        w.setAccessible(true);
        return (Tensor) w.get(definition);
    }
}
