package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The penalty rewrite changes speed only: for every rule the runtime declares, a model whose aux
 * losses are that rule on a tapped Conv2D activation and a tapped Dense activation (each fused
 * into its layer) and a tapped parameter (a fused kernel) gives the same loss terms and gradients when
 * compiled with the rewrite ({@code -Atapgrad.fusion} default) and without it
 * ({@code -Atapgrad.fusion=false}), within one ulp. The generated sources show that the rewrite
 * did fire in one and not in the other, so the comparison cannot pass vacuously.
 */
class PenaltyFusionTest {
    private static final List<String> PARAMS =
            List.of("conv.kernel", "conv.bias", "hidden.kernel", "hidden.bias", "out.kernel", "out.bias");

    private static Compilation compile(String rule, boolean fuse) {
        String body = rule.replace("x", "%s");
        var source = Compile.source("fuse.Penalized",
                "package fuse;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.*;",
                "import static dev.tapgrad.Activation.*;",
                "import static dev.tapgrad.LossKind.*;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {7, 7, 2}, loss = CATEGORICAL_CROSSENTROPY)",
                "abstract class Penalized {",
                "    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv;",
                "    @Layer Flatten flat;",
                "    @Layer(units = 6, activation = TANH) Dense hidden;",
                "    @Layer(units = 3, activation = SOFTMAX) Dense out;",
                "    @AuxLoss(tap = \"conv\", weight = 0.05)",
                "    Tensor onConv(Tensor a) { return " + body.formatted("a") + "; }",
                "    @AuxLoss(tap = \"hidden\", weight = 0.3)",
                "    Tensor onDense(Tensor h) { return " + body.formatted("h") + "; }",
                "    @AuxLoss(tap = \"hidden.kernel\", weight = 0.02)",
                "    Tensor onKernel(Tensor k) { return " + body.formatted("k") + "; }",
                "}");
        Compiler javac = Compiler.javac().withProcessors(new TapgradProcessor());
        Compilation c = (fuse ? javac : javac.withOptions("-Atapgrad.fusion=false")).compile(source);
        assertThat(c).succeededWithoutWarnings();
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mean(abs(x)), MEAN_ABS, meanAbs", "sum(abs(x)), SUM_ABS, sumAbs",
            "mean(square(x)), MEAN_SQUARE, meanSquare", "sum(square(x)), SUM_SQUARE, sumSquare"})
    void fusedAndUnfusedGiveTheSameTermsAndGradients(String rule, String constant, String kernel) throws Exception {
        Compilation fused = compile(rule, true);
        Compilation plain = compile(rule, false);
        String fusedSource = source(fused);
        assertThat(fusedSource).contains("conv.penalize(OutputPenalty." + constant + ", 0.05);");
        assertThat(fusedSource).contains("hidden.penalize(OutputPenalty." + constant + ", 0.3);");
        assertThat(fusedSource).contains("double value = Penalties." + kernel + "(k);");
        assertThat(source(plain)).doesNotContain("Penalties.");
        assertThat(source(plain)).doesNotContain("penalize(");

        Random random = new Random(3);
        Tensor x = Tensor.randn(random, 5, 7, 7, 2);
        float[] labels = new float[5 * 3];
        for (int i = 0; i < 5; i++) {
            labels[i * 3 + random.nextInt(3)] = 1;
        }
        Tensor y = Tensor.of(labels, 5, 3);
        Gradients a = gradients(fused, x, y);
        Gradients b = gradients(plain, x, y);
        assertThat(a.terms().keySet()).containsExactly("categorical_crossentropy", "onConv", "onDense", "onKernel");
        for (String term : a.terms().keySet()) {
            assertUlp(b.terms().get(term), a.terms().get(term), term);
        }
        for (String p : PARAMS) {
            float[] expected = b.get(p).toArray();
            float[] actual = a.get(p).toArray();
            assertEquals(expected.length, actual.length, p);
            for (int i = 0; i < expected.length; i++) {
                assertUlp(expected[i], actual[i], p + "[" + i + "]");
            }
        }
    }

    /**
     * A BatchNorm output takes the rule too (BatchNorm computes it in its own passes): the same terms
     * and gradients, within one ulp, as the op-by-op loss, with the batch statistics of gradients'
     * training forward, and the conv's and the BatchNorm's parameters both downstream of the penalty.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"mean(abs(x)), MEAN_ABS", "sum(abs(x)), SUM_ABS", "mean(square(x)), MEAN_SQUARE",
            "sum(square(x)), SUM_SQUARE"})
    void aBatchNormOutputPenaltyIsComputedByTheLayer(String rule, String constant) throws Exception {
        Compilation fused = compileBatchNorm(rule, true);
        Compilation plain = compileBatchNorm(rule, false);
        assertThat(source(fused)).contains("bn.penalize(OutputPenalty." + constant + ", 0.05);");
        assertThat(source(fused)).contains("terms[1] = bn.penalty();");
        assertThat(source(plain)).doesNotContain("penalize(");

        Random random = new Random(4);
        Tensor x = Tensor.randn(random, 5, 7, 7, 2);
        float[] labels = new float[5 * 3];
        for (int i = 0; i < 5; i++) {
            labels[i * 3 + random.nextInt(3)] = 1;
        }
        Tensor y = Tensor.of(labels, 5, 3);
        Gradients a = gradients(fused, x, y);
        Gradients b = gradients(plain, x, y);
        assertThat(a.terms().keySet()).containsExactly("categorical_crossentropy", "onBn");
        for (String term : a.terms().keySet()) {
            assertUlp(b.terms().get(term), a.terms().get(term), term);
        }
        for (String p : List.of("conv.kernel", "conv.bias", "bn.gamma", "bn.beta", "out.kernel", "out.bias")) {
            float[] expected = b.get(p).toArray();
            float[] actual = a.get(p).toArray();
            assertEquals(expected.length, actual.length, p);
            for (int i = 0; i < expected.length; i++) {
                assertUlp(expected[i], actual[i], p + "[" + i + "]");
            }
        }
    }

    private static Compilation compileBatchNorm(String rule, boolean fuse) {
        var source = Compile.source("fuse.Penalized",
                "package fuse;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.*;",
                "import static dev.tapgrad.Activation.*;",
                "import static dev.tapgrad.LossKind.*;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {7, 7, 2}, loss = CATEGORICAL_CROSSENTROPY)",
                "abstract class Penalized {",
                "    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv;",
                "    @Layer BatchNorm bn;",
                "    @Layer Flatten flat;",
                "    @Layer(units = 3, activation = SOFTMAX) Dense out;",
                "    @AuxLoss(tap = \"bn\", weight = 0.05)",
                "    Tensor onBn(Tensor a) { return " + rule.replace("x", "a") + "; }",
                "}");
        Compiler javac = Compiler.javac().withProcessors(new TapgradProcessor());
        Compilation c = (fuse ? javac : javac.withOptions("-Atapgrad.fusion=false")).compile(source);
        assertThat(c).succeededWithoutWarnings();
        return c;
    }

    /** The rule is keyed on resolved ops: a user's op that is also called {@code abs} does not match it. */
    @org.junit.jupiter.api.Test
    void aUsersOpOfTheSameNameIsNotFused() throws IOException {
        var ops = Compile.source("fuse.MyOps",
                "package fuse;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Ops;",
                "import dev.tapgrad.runtime.Tensor;",
                "public final class MyOps {",
                "    @Differentiable(adjoint = \"absAdjoint\", shape = ShapeRule.SAME)",
                "    public static Tensor abs(Tensor x) { return Ops.abs(x); }",
                "    public static Tensor absAdjoint(Tensor x, Tensor out, Tensor g) { return dev.tapgrad.runtime.ops.ElementwiseMath.absAdjoint(x, out, g); }",
                "}");
        var model = Compile.source("fuse.Penalized",
                "package fuse;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.*;",
                "import static dev.tapgrad.LossKind.*;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {4}, loss = MSE)",
                "abstract class Penalized {",
                "    @Layer(units = 3) Dense out;",
                "    @AuxLoss(tap = \"out.kernel\", weight = 0.1)",
                "    Tensor mine(Tensor k) { return mean(MyOps.abs(k)); }",
                "    @AuxLoss(tap = \"out.kernel\", weight = 0.1)",
                "    Tensor runtimes(Tensor k) { return mean(abs(k)); }",
                "}");
        Compilation c = Compiler.javac().withProcessors(new TapgradProcessor()).compile(ops, model);
        assertThat(c).succeededWithoutWarnings();
        String generated = source(c);
        assertThat(generated).contains("Tensor t1 = MyOps.abs(k);");
        assertThat(generated).contains("double value = Penalties.meanAbs(k);");
    }

    private static void assertUlp(double expected, double actual, String what) {
        float e = (float) expected;
        assertEquals(e, (float) actual, Math.ulp(e), what + ": fused and unfused differ by more than one ulp");
    }

    private static String source(Compilation c) throws IOException {
        return c.generatedSourceFile("fuse.PenalizedGraph").orElseThrow().getCharContent(true).toString();
    }

    private static Gradients gradients(Compilation c, Tensor x, Tensor y) throws Exception {
        Class<?> graph = new Loader(c).loadClass("fuse.PenalizedGraph");
        Object model = graph.getConstructor(long.class).newInstance(42L);
        return (Gradients) graph.getMethod("gradients", Tensor.class, Tensor.class).invoke(model, x, y);
    }

    /** The classes javac wrote for one compilation; the runtime comes from the test class path. */
    private static final class Loader extends ClassLoader {
        private final Compilation compilation;

        Loader(Compilation compilation) {
            super(PenaltyFusionTest.class.getClassLoader());
            this.compilation = compilation;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            String path = "/" + name.replace('.', '/') + ".class";
            for (JavaFileObject f : compilation.generatedFiles()) {
                if (f.getKind() == JavaFileObject.Kind.CLASS && f.toUri().getPath().endsWith(path)) {
                    try (InputStream in = f.openInputStream()) {
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            throw new ClassNotFoundException(name);
        }
    }
}
