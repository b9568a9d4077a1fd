package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Ops;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of {@link Ops} through the processor's discovery of its adjoints, one table row per op
 * (and per overload): for each row a model is compiled whose aux loss is {@code sum(mul(op(x0, x1),
 * R))}, with each argument {@code xk} a parameter tap (a Dense kernel reshaped to the argument's
 * shape) and {@code R} a constant. The generated {@code gradients(...)} for those kernels must equal
 * PyTorch's float64 gradient of {@code Σ op(x)·r} (runtime/src/test/resources/dev/tapgrad/runtime/ops,
 * made by runtime/src/test/python/make_ops_reference.py), and the term PyTorch's {@code Σ out·r}.
 *
 * <p>Unlike runtime's OpsReferenceTest, which calls each adjoint method by name, nothing here names an
 * adjoint: a {@code @Differentiable(adjoint = ...)} that lists the wrong method (two adjoints swapped,
 * an op pointing at another op's rule) makes the generated code call it, and the row fails.
 *
 * <p>The main loss cannot leak into the comparison: the input is all zeros and the biases start at
 * zero, so every layer's output, hence its kernel's main-loss gradient {@code xᵀ·g}, is exactly
 * zero; the bias gradients (main loss only) are checked to be zero as the proof.
 */
class OpGradientsThroughProcessorTest {
    /** PyTorch's fixtures for the runtime's op tests; surefire sets {@code basedir} to the module folder. */
    private static final Path FIXTURES = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("../runtime/src/test/resources/dev/tapgrad/runtime/ops");
    private static final String PACKAGE = "oprows";

    /**
     * One row: the fixture and the op applied to the arguments {@code x0}, {@code x1} as written in a
     * loss body. {@code overload} names the {@link Ops} method it exercises, as {@code name/arity}.
     */
    record Row(String fixture, String call) {
        String overload() {
            // the sparse rows wrap their op (see rows()): the op they exercise is the inner call
            String op = call.startsWith("add(sparseCategoricalCrossentropy(") ? "sparseCategoricalCrossentropy(X0, x1)" : call;
            Matcher m = Pattern.compile("^(\\w+)\\((.*)\\)$").matcher(op);
            if (!m.matches()) {
                throw new IllegalStateException(call);
            }
            return m.group(1) + "/" + m.group(2).split(",").length;
        }

        String className() {
            StringBuilder b = new StringBuilder();
            for (String part : fixture.split("_")) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
            return b + "Row";
        }

        @Override
        public String toString() {
            return fixture + ": " + call;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("abs", "abs(x0)"),
                new Row("square", "square(x0)"),
                new Row("neg", "neg(x0)"),
                new Row("scale", "scale(2.5, x0)"),
                new Row("add_broadcast", "add(x0, x1)"),
                new Row("sub_broadcast", "sub(x0, x1)"),
                new Row("mul_broadcast", "mul(x0, x1)"),
                new Row("sum", "sum(x0)"),
                new Row("mean", "mean(x0)"),
                new Row("exp", "exp(x0)"),
                new Row("log", "log(x0)"),
                new Row("sqrt", "sqrt(x0)"),
                new Row("pow_2_5", "pow(x0, 2.5)"),
                new Row("pow_neg_1_5", "pow(x0, -1.5)"),
                new Row("pow_3_signed", "pow(x0, 3)"),
                new Row("div_broadcast", "div(x0, x1)"),
                new Row("clip", "clip(x0, -0.5, 0.8)"),
                new Row("max", "max(x0)"),
                new Row("min", "min(x0)"),
                new Row("max_axis1", "max(x0, 1)"),
                new Row("max_axis_neg1_keep", "max(x0, -1, true)"),
                new Row("min_axis0", "min(x0, 0)"),
                new Row("min_axis2_keep", "min(x0, 2, true)"),
                new Row("sum_axis0", "sum(x0, 0)"),
                new Row("sum_axis_neg1_keep", "sum(x0, -1, true)"),
                // Both mean overloads: the two-argument one here, keepDims = true below.
                new Row("mean_axis1", "mean(x0, 1)"),
                new Row("mean_axis2_keep", "mean(x0, 2, true)"),
                new Row("softmax", "softmax(x0)"),
                new Row("softmax_rank3", "softmax(x0)"),
                new Row("log_softmax", "logSoftmax(x0)"),
                new Row("expand_dims_1", "expandDims(x0, 1)"),
                new Row("expand_dims_neg1", "expandDims(x0, -1)"),
                new Row("reshape_1", "reshape(x0, -1)"),
                new Row("reshape_2", "reshape(x0, -1, 12)"),
                new Row("reshape_3", "reshape(x0, 2, -1, 4)"),
                new Row("transpose", "transpose(x0)"),
                new Row("transpose_2d", "transpose(x0)"),
                new Row("matmul", "matmul(x0, x1)"),
                new Row("matmul_batched", "matmul(x0, x1)"),
                new Row("l2_normalize_1", "l2Normalize(x0, 1)"),
                new Row("l2_normalize_0", "l2Normalize(x0, 0)"),
                new Row("l2_normalize_neg1", "l2Normalize(x0, -1)"),
                new Row("cosine_similarity", "cosineSimilarity(x0, x1, 1)"),
                new Row("cosine_similarity_broadcast", "cosineSimilarity(x0, x1, -1)"),
                new Row("kl_divergence", "klDivergence(x0, x1)"),
                new Row("kl_divergence_broadcast", "klDivergence(x0, x1)"),
                new Row("categorical_crossentropy", "categoricalCrossentropy(x0, x1)"),
                new Row("categorical_crossentropy_onehot", "categoricalCrossentropy(x0, x1)"),
                new Row("mse", "mse(x0, x1)"),
                new Row("mse_broadcast", "mse(x0, x1)"),
                // On a kink on purpose: PyTorch's convention (abs'(0) = 0, ties split, clip's closed interval).
                new Row("kink_abs_zero", "abs(x0)"),
                new Row("kink_max_ties", "max(x0)"),
                new Row("kink_min_ties", "min(x0)"),
                new Row("kink_max_axis_ties", "max(x0, 1)"),
                new Row("kink_min_axis_ties", "min(x0, 0)"),
                new Row("kink_clip_boundary", "clip(x0, -0.5, 0.5)"),
                new Row("kink_kl_clipped", "klDivergence(x0, x1)"),
                new Row("kink_cce_clipped", "categoricalCrossentropy(x0, x1)"),
                new Row("kink_l2_normalize_zero_row", "l2Normalize(x0, 1)"),
                new Row("binary_crossentropy", "binaryCrossentropy(x0, x1)"),
                new Row("binary_crossentropy_broadcast", "binaryCrossentropy(x0, x1)"),
                new Row("kink_bce_clipped", "binaryCrossentropy(x0, x1)"),
                // Class ids take no gradient, so they must not depend on a tap (the processor says so): the
                // ids are the constant X0, and x0 enters only as 0·sum(x0), whose gradient is the
                // fixture's grad0, zeros.
                new Row("sparse_categorical_crossentropy", "add(sparseCategoricalCrossentropy(X0, x1), scale(0, sum(x0)))"),
                new Row("sparse_categorical_crossentropy_column",
                        "add(sparseCategoricalCrossentropy(X0, x1), scale(0, sum(x0)))"),
                new Row("mean_absolute_error", "meanAbsoluteError(x0, x1)"),
                new Row("mean_absolute_error_broadcast", "meanAbsoluteError(x0, x1)"),
                new Row("kink_mae_equal", "meanAbsoluteError(x0, x1)"),
                new Row("huber", "huber(x0, x1)"),
                new Row("relu", "relu(x0)"),
                new Row("sigmoid", "sigmoid(x0)"),
                new Row("tanh", "tanh(x0)"),
                new Row("softplus", "softplus(x0)"),
                new Row("elu", "elu(x0)"),
                new Row("selu", "selu(x0)"),
                new Row("silu", "silu(x0)"),
                new Row("gelu", "gelu(x0)"),
                new Row("leaky_relu", "leakyRelu(x0)"),
                new Row("kink_relu_zero", "relu(x0)"),
                new Row("kink_leaky_relu_zero", "leakyRelu(x0)"),
                new Row("kink_selu_zero", "selu(x0)"));
    }

    /** All rows' models in one javac run (one compilation is much faster than sixty). */
    private static Compilation compilation;

    private static synchronized Compilation compiled() {
        if (compilation == null) {
            JavaFileObject[] sources = rows().map(r -> Compile.source(PACKAGE + "." + r.className(), source(r)))
                    .toArray(JavaFileObject[]::new);
            compilation = Compile.compile(sources);
        }
        return compilation;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void generatedGradientsEqualPyTorch(Row row) throws Exception {
        assertThat(compiled()).succeededWithoutWarnings();
        Map<String, Tensor> f = fixture(row.fixture());
        int arity = arity(f);
        TrainableModel model = (TrainableModel) new GeneratedClasses(compiled())
                .loadClass(PACKAGE + "." + row.className() + "Graph").getConstructor(long.class).newInstance(3L);
        for (int k = 0; k < arity; k++) {
            Tensor kernel = GeneratedClasses.parameter(model, "a" + k + ".kernel");
            System.arraycopy(f.get("x" + k).buffer(), 0, kernel.buffer(), 0, kernel.size());
        }
        int lastUnits = arity == 1 ? 1 : f.get("x1").size();
        Gradients g = model.gradients(Tensor.zeros(2, f.get("x0").size()), Tensor.zeros(2, lastUnits));

        for (int k = 0; k < arity; k++) {
            assertClose(f.get("grad" + k).buffer(), g.get("a" + k + ".kernel").buffer(), row + ": gradient of x" + k);
            for (float b : g.get("a" + k + ".bias").buffer()) {
                assertEquals(0f, b, row + ": the main loss must not reach the kernels (its bias gradient is zero)");
            }
        }
        double expected = dot(f.get("out"), f.get("r"));
        assertEquals(expected, g.terms().get("term"), 1e-4 * Math.abs(expected) + 1e-6, row + ": term value");
        assertEquals(expected, g.loss(), 1e-4 * Math.abs(expected) + 1e-6, row + ": total loss");
    }

    /**
     * A new op (or overload) in {@link Ops} needs a row, so no derivative rule goes untested. The
     * random draws have no derivative rule (their gradient is zero) and no PyTorch values: RandomOpsTest
     * checks them through the processor.
     */
    @Test
    void everyOpOfOpsHasARow() {
        Set<String> ops = Arrays.stream(Ops.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Tensor.class)
                .filter(m -> !m.getName().contains("Adjoint"))
                .map(m -> m.getName() + "/" + m.getParameterCount())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(ops.removeAll(Set.of("randomNormal/1", "randomUniform/1")), "Ops has the random draws");
        Set<String> table = rows().map(Row::overload).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(ops.size() > 30, "Ops lists its ops: " + ops);
        assertEquals(ops, table, "one row per op of Ops, by name and number of arguments");
    }

    /** Each row's fixture exists, and every fixture of the runtime's op table has a row here. */
    @Test
    void everyFixtureHasARow() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(FIXTURES)) {
            files = list.map(p -> p.getFileName().toString().replace(".safetensors", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, rows().map(Row::fixture).collect(Collectors.toCollection(TreeSet::new)));
    }

    // ---- the model of a row ---------------------------------------------------------------------

    /**
     * Argument k is the kernel of Dense {@code ak}: a0 has units 1 on the input, a1 takes a0's single
     * unit, so both kernels hold exactly as many values as the argument and are reshaped to it.
     */
    private static String[] source(Row row) {
        Map<String, Tensor> f = fixture(row.fixture());
        int arity = arity(f);
        List<String> lines = new ArrayList<>(List.of(
                "package " + PACKAGE + ";",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.Dense;",
                "import static dev.tapgrad.LossKind.*;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {" + f.get("x0").size() + "}, loss = MSE)",
                "abstract class " + row.className() + " {",
                "    static final Tensor R = " + literal(f.get("r")) + ";"));
        if (row.call().contains("X0")) {
            lines.add("    static final Tensor X0 = " + literal(f.get("x0")) + ";");
        }
        lines.add("    @Layer(units = 1) Dense a0;");
        if (arity == 2) {
            lines.add("    @Layer(units = " + f.get("x1").size() + ") Dense a1;");
        }
        String taps = IntStream.range(0, arity).mapToObj(k -> "\"a" + k + ".kernel\"").collect(Collectors.joining(", "));
        String params = IntStream.range(0, arity).mapToObj(k -> "Tensor k" + k).collect(Collectors.joining(", "));
        lines.add("    @AuxLoss(tap = {" + taps + "})");
        lines.add("    Tensor term(" + params + ") {");
        for (int k = 0; k < arity; k++) {
            lines.add("        Tensor x" + k + " = reshape(k" + k + ", " + dims(f.get("x" + k).shape()) + ");");
        }
        lines.add("        return sum(mul(" + row.call() + ", R));");
        lines.add("    }");
        lines.add("}");
        return lines.toArray(String[]::new);
    }

    /** A tensor as Java source; Float.toString gives back exactly the same float. */
    private static String literal(Tensor t) {
        StringBuilder b = new StringBuilder("Tensor.of(new float[] {");
        float[] v = t.buffer();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(Float.toString(v[i])).append('f');
        }
        b.append('}');
        for (int d : t.shape()) {
            b.append(", ").append(d);
        }
        return b.append(')').toString();
    }

    private static String dims(int[] shape) {
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }

    // ---- fixtures and comparisons -----------------------------------------------------------------

    private static Map<String, Tensor> fixture(String name) {
        try {
            return Safetensors.read(FIXTURES.resolve(name + ".safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException("no fixture " + name + " in " + FIXTURES.toAbsolutePath(), e);
        }
    }

    private static int arity(Map<String, Tensor> f) {
        return f.containsKey("x1") ? 2 : 1;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.buffer()[i] * b.buffer()[i];
        }
        return s;
    }

    /** float32 against the float64 reference: relative 1e-4, with an absolute floor for values near 0. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]) + 1e-6, what + " [" + i + "]");
        }
    }
}
