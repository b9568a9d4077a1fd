package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Sgd;
import com.google.testing.compile.Compiler;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom layer whose body reads the mode, {@code training ? mul(mul(x, w), randomUniform(x)) :
 * scale(0.5, mul(x, w))}, through the generated graph. With {@code w} all ones, {@code x} all ones
 * and a zero target, the training branch gives {@code out = u} (the draws), an MSE of {@code Σu²/N}
 * and {@code d/dw_i = 2u_i²/N}: so {@code Σ grad = 2·loss} ties the backward to the forward's own
 * draws, and the gradients differ per weight; the inference branch would give the same {@code
 * 0.5/N} for every weight. Predict and evaluate run the inference branch: exactly {@code 0.5·x}.
 * A conditional inside an expression, in a layer compiled in another javac run, works alike.
 */
class CustomLayerModeTest {
    private static final int N = 100;
    private static Compilation compilation;

    private static synchronized Compilation compiled() {
        if (compilation == null) {
            compilation = Compile.compile(Compile.source("mode.Dropish",
                    "package mode;",
                    "import static dev.tapgrad.runtime.Ops.*;",
                    "import dev.tapgrad.*;",
                    "import dev.tapgrad.runtime.Tensor;",
                    "@CustomLayer",
                    "public abstract class Dropish {",
                    "    @Weight(shape = {\"input\"}, init = Init.ONES) Tensor w;",
                    "    Tensor call(Tensor x, boolean training) {",
                    "        Tensor h = mul(x, w);",
                    "        return training ? mul(h, randomUniform(x)) : scale(0.5, h);",
                    "    }",
                    "}"), Compile.source("mode.DropNet",
                    "package mode;",
                    "@dev.tapgrad.Model(input = {" + N + "}, loss = dev.tapgrad.LossKind.MSE)",
                    "public abstract class DropNet {",
                    "    @dev.tapgrad.Layer Dropish drop;",
                    "}"));
        }
        return compilation;
    }

    private static TrainableModel model(long seed) throws Exception {
        assertThat(compiled()).succeededWithoutWarnings();
        return (TrainableModel) new GeneratedClasses(compiled()).loadClass("mode.DropNetGraph")
                .getConstructor(long.class).newInstance(seed);
    }

    private static Tensor ones() {
        float[] v = new float[N];
        java.util.Arrays.fill(v, 1f);
        return Tensor.of(v, 1, N);
    }

    @Test
    void theGeneratedLayerChoosesTheFormWithAJavaIf() {
        assertThat(compiled()).succeededWithoutWarnings();
        String layer;
        try {
            layer = compiled().generatedSourceFile("mode.DropishLayer").orElseThrow().getCharContent(true).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(layer.contains("definition.forward(x, training(), out);"), layer);
        assertTrue(layer.contains("if (training) {"), layer);
        assertTrue(layer.contains("} else {"), layer);
        // the untaken branch draws nothing: one randomUniform, in the training form only
        assertEquals(layer.indexOf("randomUniform("), layer.lastIndexOf("randomUniform("), layer);
    }

    @Test
    void gradientsRunTheTrainingBranchAndItsGradientIsTheDraws() throws Exception {
        Gradients g = model(3).gradients(ones(), Tensor.zeros(1, N));
        float[] grad = g.get("drop.w").toArray();
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : grad) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertTrue(v >= 0 && v <= 2.0 / N, "2u²/N for a draw u in [0, 1): " + v);
        }
        assertEquals(2 * g.loss(), sum, 1e-5 * sum, "Σ d/dw_i = Σ 2u_i²/N = 2·loss: the backward's draws are the forward's");
        assertTrue(max - min > 0.5 / N, "the draws differ per weight; the inference branch gives 0.5/N for all");
        // E[u²] = 1/3 for u uniform in [0, 1); over 100 draws its standard error is 0.03
        assertEquals(1.0 / 3, g.loss(), 0.12, "the mean of u²");
    }

    @Test
    void fitStepsWithTheTrainingGradient() throws Exception {
        TrainableModel m = model(4);
        double lr = 0.5;
        m.fit(Dataset.of(ones(), Tensor.zeros(1, N)), Fit.epochs(1).batchSize(1).optimizer(Sgd.lr(lr)).verbose(false));
        float[] w = CustomLayerTest.parameter(m, "drop.w").toArray();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : w) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertTrue(v <= 1 && v >= 1 - lr * 2.0 / N - 1e-6, "1 - lr·2u²/N: " + v);
        }
        assertTrue(max - min > lr * 0.5 / N, "per-weight draws moved the weights apart; the inference branch moves all alike");
    }

    @Test
    void predictAndEvaluateRunTheInferenceBranch() throws Exception {
        TrainableModel m = model(5);
        Tensor x = Tensor.randn(new Random(9), 4, N);
        float[] in = x.toArray();
        float[] expected = new float[in.length];
        double loss = 0;
        for (int i = 0; i < in.length; i++) {
            expected[i] = 0.5f * in[i]; // exact: w is all ones and halving is exact
            loss += (double) expected[i] * expected[i];
        }
        loss /= in.length;
        assertArrayEquals(expected, m.predict(x).toArray(), 0f);
        assertArrayEquals(expected, m.predict(x).toArray(), 0f, "no draws: the same every time");
        Map<String, Double> metrics = m.evaluate(Dataset.of(x, Tensor.zeros(4, N)));
        assertEquals(loss, metrics.get("loss"), 1e-6 * loss, metrics.toString());
    }

    @Test
    void aConditionalInsideAnExpressionFromAnotherCompilation(@TempDir Path dir) throws Exception {
        // training: h + h = 2h; inference: h + 2h = 3h, with h = x·w
        Compilation library = Compile.compile(Compile.source("mode.Twice",
                "package mode;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "@CustomLayer",
                "public abstract class Twice {",
                "    @Weight(shape = {\"input\"}, init = Init.ONES) Tensor w;",
                "    Tensor call(Tensor x, boolean training) {",
                "        Tensor h = mul(x, w);",
                "        return add(h, (training) ? h : scale(2.0, h));",
                "    }",
                "}"));
        assertThat(library).succeededWithoutWarnings();
        Path classes = dir.resolve("library");
        CustomLayerAcrossCompilationsTest.writeClasses(library, classes);
        List<File> classpath = new ArrayList<>();
        classpath.add(classes.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(new File(entry));
        }
        Compilation app = Compiler.javac().withProcessors(new TapgradProcessor()).withClasspath(classpath)
                .compile(Compile.source("mode.TwiceNet",
                        "package mode;",
                        "@dev.tapgrad.Model(input = {" + N + "}, loss = dev.tapgrad.LossKind.MSE)",
                        "public abstract class TwiceNet {",
                        "    @dev.tapgrad.Layer Twice twice;",
                        "}"));
        assertThat(app).succeededWithoutWarnings();
        Path appClasses = dir.resolve("app");
        CustomLayerAcrossCompilationsTest.writeClasses(app, appClasses);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), appClasses.toUri().toURL()},
                getClass().getClassLoader())) {
            TrainableModel m = (TrainableModel) loader.loadClass("mode.TwiceNetGraph").getConstructor(long.class).newInstance(1L);
            // training: out = 2w = 2, MSE against 0 is 4, d/dw_i = 2·2·2/N (the inference branch: 9 and 18/N)
            Gradients g = m.gradients(ones(), Tensor.zeros(1, N));
            assertEquals(4.0, g.loss(), 1e-6);
            for (float v : g.get("twice.w").toArray()) {
                assertEquals(8.0 / N, v, 1e-7);
            }
            Tensor x = Tensor.randn(new Random(3), 2, N);
            float[] in = x.toArray();
            float[] out = m.predict(x).toArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(3.0 * in[i], out[i], 1e-6 * Math.abs(in[i]), "inference: h + 2h");
            }
        }
    }
}
