package dev.tapgrad.runtime;

import static dev.tapgrad.runtime.ops.Activations.*;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.Ops64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op against PyTorch, one table row per op (and per interesting shape): the forward value,
 * and each adjoint as the gradient of {@code Σ out·r} for a fixed {@code r}, from fixtures made by
 * {@code src/test/python/make_ops_reference.py} (PyTorch 1.13, float64 on the float32 inputs).
 * The same rows check each adjoint against float64 central differences of the row's double
 * reference ({@link Ops64}, whose value is first checked against the op's), value by value and
 * along random directions (the VJP inner product), at the fixture's inputs, which lie away from kinks. Rows named {@code kink_*} sit on a kink on purpose and are checked against PyTorch only.
 */
class OpsReferenceTest {
    private static final String FIXTURES = "/dev/tapgrad/runtime/ops/";

    /** The gradient for one argument given the arguments, output and cotangent. */
    interface Adjoint {
        Tensor apply(Tensor[] args, Tensor out, Tensor g);
    }

    /**
     * One row: the fixture it is checked against, the op, the same expression in double (its
     * {@link Ops64} reference, which finite differences differentiate), and an adjoint per tensor argument.
     */
    record Row(String fixture, Function<Tensor[], Tensor> op, Function<T64[], T64> reference, Adjoint... adjoints) {
        boolean atKink() {
            return fixture.startsWith("kink_");
        }

        @Override
        public String toString() {
            return fixture;
        }
    }

    private static Row row(String fixture, Function<Tensor[], Tensor> op, Function<T64[], T64> reference,
            Adjoint... adjoints) {
        return new Row(fixture, op, reference, adjoints);
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("abs", a -> abs(a[0]), a -> abs(a[0]), (a, o, g) -> absAdjoint(a[0], o, g)),
                row("square", a -> square(a[0]), a -> square(a[0]), (a, o, g) -> squareAdjoint(a[0], o, g)),
                row("neg", a -> neg(a[0]), a -> neg(a[0]), (a, o, g) -> negAdjoint(a[0], o, g)),
                row("scale", a -> scale(2.5, a[0]), a -> scale(2.5, a[0]), (a, o, g) -> scaleAdjoint(2.5, a[0], o, g)),
                row("add_broadcast", a -> add(a[0], a[1]), a -> add(a[0], a[1]),
                        (a, o, g) -> addAdjointA(a[0], a[1], o, g), (a, o, g) -> addAdjointB(a[0], a[1], o, g)),
                row("sub_broadcast", a -> sub(a[0], a[1]), a -> sub(a[0], a[1]),
                        (a, o, g) -> subAdjointA(a[0], a[1], o, g), (a, o, g) -> subAdjointB(a[0], a[1], o, g)),
                row("mul_broadcast", a -> mul(a[0], a[1]), a -> mul(a[0], a[1]),
                        (a, o, g) -> mulAdjointA(a[0], a[1], o, g), (a, o, g) -> mulAdjointB(a[0], a[1], o, g)),
                row("sum", a -> sum(a[0]), a -> sum(a[0]), (a, o, g) -> sumAdjoint(a[0], o, g)),
                row("mean", a -> mean(a[0]), a -> mean(a[0]), (a, o, g) -> meanAdjoint(a[0], o, g)),
                row("exp", a -> exp(a[0]), a -> exp(a[0]), (a, o, g) -> expAdjoint(a[0], o, g)),
                row("log", a -> log(a[0]), a -> log(a[0]), (a, o, g) -> logAdjoint(a[0], o, g)),
                row("sqrt", a -> sqrt(a[0]), a -> sqrt(a[0]), (a, o, g) -> sqrtAdjoint(a[0], o, g)),
                row("pow_2_5", a -> pow(a[0], 2.5), a -> pow(a[0], 2.5), (a, o, g) -> powAdjoint(a[0], 2.5, o, g)),
                row("pow_neg_1_5", a -> pow(a[0], -1.5), a -> pow(a[0], -1.5), (a, o, g) -> powAdjoint(a[0], -1.5, o, g)),
                row("pow_3_signed", a -> pow(a[0], 3), a -> pow(a[0], 3), (a, o, g) -> powAdjoint(a[0], 3, o, g)),
                row("div_broadcast", a -> div(a[0], a[1]), a -> div(a[0], a[1]),
                        (a, o, g) -> divAdjointA(a[0], a[1], o, g), (a, o, g) -> divAdjointB(a[0], a[1], o, g)),
                row("clip", a -> clip(a[0], -0.5, 0.8), a -> clip(a[0], -0.5, 0.8), (a, o, g) -> clipAdjoint(a[0], -0.5, 0.8, o, g)),
                row("max", a -> max(a[0]), a -> max(a[0]), (a, o, g) -> maxAdjoint(a[0], o, g)),
                row("min", a -> min(a[0]), a -> min(a[0]), (a, o, g) -> minAdjoint(a[0], o, g)),
                row("max_axis1", a -> max(a[0], 1), a -> max(a[0], 1), (a, o, g) -> maxAxisAdjoint(a[0], 1, o, g)),
                row("max_axis_neg1_keep", a -> max(a[0], -1, true), a -> max(a[0], -1, true), (a, o, g) -> maxAxisAdjoint(a[0], -1, true, o, g)),
                row("min_axis0", a -> min(a[0], 0), a -> min(a[0], 0), (a, o, g) -> minAxisAdjoint(a[0], 0, o, g)),
                row("min_axis2_keep", a -> min(a[0], 2, true), a -> min(a[0], 2, true), (a, o, g) -> minAxisAdjoint(a[0], 2, true, o, g)),
                row("sum_axis0", a -> sum(a[0], 0), a -> sum(a[0], 0), (a, o, g) -> sumAxisAdjoint(a[0], 0, o, g)),
                row("sum_axis_neg1_keep", a -> sum(a[0], -1, true), a -> sum(a[0], -1, true), (a, o, g) -> sumAxisAdjoint(a[0], -1, true, o, g)),
                row("mean_axis1", a -> mean(a[0], 1, false), a -> mean(a[0], 1, false), (a, o, g) -> meanAxisAdjoint(a[0], 1, false, o, g)),
                row("mean_axis2_keep", a -> mean(a[0], 2, true), a -> mean(a[0], 2, true), (a, o, g) -> meanAxisAdjoint(a[0], 2, true, o, g)),
                row("softmax", a -> softmax(a[0]), a -> softmax(a[0]), (a, o, g) -> softmaxAdjoint(a[0], o, g)),
                row("softmax_rank3", a -> softmax(a[0]), a -> softmax(a[0]), (a, o, g) -> softmaxAdjoint(a[0], o, g)),
                row("log_softmax", a -> logSoftmax(a[0]), a -> logSoftmax(a[0]), (a, o, g) -> logSoftmaxAdjoint(a[0], o, g)),
                row("expand_dims_1", a -> expandDims(a[0], 1), a -> expandDims(a[0], 1), (a, o, g) -> expandDimsAdjoint(a[0], 1, o, g)),
                row("expand_dims_neg1", a -> expandDims(a[0], -1), a -> expandDims(a[0], -1), (a, o, g) -> expandDimsAdjoint(a[0], -1, o, g)),
                row("reshape_1", a -> reshape(a[0], -1), a -> reshape(a[0], -1), (a, o, g) -> reshapeAdjoint(a[0], -1, o, g)),
                row("reshape_2", a -> reshape(a[0], -1, 12), a -> reshape(a[0], -1, 12), (a, o, g) -> reshapeAdjoint(a[0], -1, 12, o, g)),
                row("reshape_3", a -> reshape(a[0], 2, -1, 4), a -> reshape(a[0], 2, -1, 4), (a, o, g) -> reshapeAdjoint(a[0], 2, -1, 4, o, g)),
                row("transpose", a -> transpose(a[0]), a -> transpose(a[0]), (a, o, g) -> transposeAdjoint(a[0], o, g)),
                row("transpose_2d", a -> transpose(a[0]), a -> transpose(a[0]), (a, o, g) -> transposeAdjoint(a[0], o, g)),
                row("matmul", a -> matmul(a[0], a[1]), a -> matmul(a[0], a[1]),
                        (a, o, g) -> matmulAdjointA(a[0], a[1], o, g), (a, o, g) -> matmulAdjointB(a[0], a[1], o, g)),
                row("matmul_batched", a -> matmul(a[0], a[1]), a -> matmul(a[0], a[1]),
                        (a, o, g) -> matmulAdjointA(a[0], a[1], o, g), (a, o, g) -> matmulAdjointB(a[0], a[1], o, g)),
                row("l2_normalize_1", a -> l2Normalize(a[0], 1), a -> l2Normalize(a[0], 1), (a, o, g) -> l2NormalizeAdjoint(a[0], 1, o, g)),
                row("l2_normalize_0", a -> l2Normalize(a[0], 0), a -> l2Normalize(a[0], 0), (a, o, g) -> l2NormalizeAdjoint(a[0], 0, o, g)),
                row("l2_normalize_neg1", a -> l2Normalize(a[0], -1), a -> l2Normalize(a[0], -1), (a, o, g) -> l2NormalizeAdjoint(a[0], -1, o, g)),
                row("cosine_similarity", a -> cosineSimilarity(a[0], a[1], 1), a -> cosineSimilarity(a[0], a[1], 1),
                        (a, o, g) -> cosineSimilarityAdjointA(a[0], a[1], 1, o, g),
                        (a, o, g) -> cosineSimilarityAdjointB(a[0], a[1], 1, o, g)),
                row("cosine_similarity_broadcast", a -> cosineSimilarity(a[0], a[1], -1), a -> cosineSimilarity(a[0], a[1], -1),
                        (a, o, g) -> cosineSimilarityAdjointA(a[0], a[1], -1, o, g),
                        (a, o, g) -> cosineSimilarityAdjointB(a[0], a[1], -1, o, g)),
                row("kl_divergence", a -> klDivergence(a[0], a[1]), a -> klDivergence(a[0], a[1]),
                        (a, o, g) -> klDivergenceAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> klDivergenceAdjointPred(a[0], a[1], o, g)),
                row("kl_divergence_broadcast", a -> klDivergence(a[0], a[1]), a -> klDivergence(a[0], a[1]),
                        (a, o, g) -> klDivergenceAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> klDivergenceAdjointPred(a[0], a[1], o, g)),
                row("categorical_crossentropy", a -> categoricalCrossentropy(a[0], a[1]), a -> categoricalCrossentropy(a[0], a[1]),
                        (a, o, g) -> categoricalCrossentropyAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> categoricalCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("categorical_crossentropy_onehot", a -> categoricalCrossentropy(a[0], a[1]), a -> categoricalCrossentropy(a[0], a[1]),
                        (a, o, g) -> categoricalCrossentropyAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> categoricalCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("mse", a -> mse(a[0], a[1]), a -> mse(a[0], a[1]),
                        (a, o, g) -> mseAdjointTrue(a[0], a[1], o, g), (a, o, g) -> mseAdjointPred(a[0], a[1], o, g)),
                row("mse_broadcast", a -> mse(a[0], a[1]), a -> mse(a[0], a[1]),
                        (a, o, g) -> mseAdjointTrue(a[0], a[1], o, g), (a, o, g) -> mseAdjointPred(a[0], a[1], o, g)),
                row("kink_abs_zero", a -> abs(a[0]), a -> abs(a[0]), (a, o, g) -> absAdjoint(a[0], o, g)),
                row("kink_max_ties", a -> max(a[0]), a -> max(a[0]), (a, o, g) -> maxAdjoint(a[0], o, g)),
                row("kink_min_ties", a -> min(a[0]), a -> min(a[0]), (a, o, g) -> minAdjoint(a[0], o, g)),
                row("kink_max_axis_ties", a -> max(a[0], 1), a -> max(a[0], 1), (a, o, g) -> maxAxisAdjoint(a[0], 1, o, g)),
                row("kink_min_axis_ties", a -> min(a[0], 0), a -> min(a[0], 0), (a, o, g) -> minAxisAdjoint(a[0], 0, o, g)),
                row("kink_clip_boundary", a -> clip(a[0], -0.5, 0.5), a -> clip(a[0], -0.5, 0.5), (a, o, g) -> clipAdjoint(a[0], -0.5, 0.5, o, g)),
                row("kink_kl_clipped", a -> klDivergence(a[0], a[1]), a -> klDivergence(a[0], a[1]),
                        (a, o, g) -> klDivergenceAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> klDivergenceAdjointPred(a[0], a[1], o, g)),
                row("kink_cce_clipped", a -> categoricalCrossentropy(a[0], a[1]), a -> categoricalCrossentropy(a[0], a[1]),
                        (a, o, g) -> categoricalCrossentropyAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> categoricalCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("kink_l2_normalize_zero_row", a -> l2Normalize(a[0], 1), a -> l2Normalize(a[0], 1), (a, o, g) -> l2NormalizeAdjoint(a[0], 1, o, g)),
                row("binary_crossentropy", a -> binaryCrossentropy(a[0], a[1]), a -> binaryCrossentropy(a[0], a[1]),
                        (a, o, g) -> binaryCrossentropyAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> binaryCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("binary_crossentropy_broadcast", a -> binaryCrossentropy(a[0], a[1]), a -> binaryCrossentropy(a[0], a[1]),
                        (a, o, g) -> binaryCrossentropyAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> binaryCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("kink_bce_clipped", a -> binaryCrossentropy(a[0], a[1]), a -> binaryCrossentropy(a[0], a[1]),
                        (a, o, g) -> binaryCrossentropyAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> binaryCrossentropyAdjointPred(a[0], a[1], o, g)),
                // class ids take no gradient (the op's adjoint for them is empty): zeros, as in the fixture
                row("sparse_categorical_crossentropy", a -> sparseCategoricalCrossentropy(a[0], a[1]),
                        a -> sparseCategoricalCrossentropy(a[0], a[1]), (a, o, g) -> Tensor.zeros(a[0].shape()),
                        (a, o, g) -> sparseCategoricalCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("sparse_categorical_crossentropy_column", a -> sparseCategoricalCrossentropy(a[0], a[1]),
                        a -> sparseCategoricalCrossentropy(a[0], a[1]), (a, o, g) -> Tensor.zeros(a[0].shape()),
                        (a, o, g) -> sparseCategoricalCrossentropyAdjointPred(a[0], a[1], o, g)),
                row("mean_absolute_error", a -> meanAbsoluteError(a[0], a[1]), a -> meanAbsoluteError(a[0], a[1]),
                        (a, o, g) -> meanAbsoluteErrorAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> meanAbsoluteErrorAdjointPred(a[0], a[1], o, g)),
                row("mean_absolute_error_broadcast", a -> meanAbsoluteError(a[0], a[1]), a -> meanAbsoluteError(a[0], a[1]),
                        (a, o, g) -> meanAbsoluteErrorAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> meanAbsoluteErrorAdjointPred(a[0], a[1], o, g)),
                row("kink_mae_equal", a -> meanAbsoluteError(a[0], a[1]), a -> meanAbsoluteError(a[0], a[1]),
                        (a, o, g) -> meanAbsoluteErrorAdjointTrue(a[0], a[1], o, g),
                        (a, o, g) -> meanAbsoluteErrorAdjointPred(a[0], a[1], o, g)),
                row("huber", a -> huber(a[0], a[1]), a -> huber(a[0], a[1]),
                        (a, o, g) -> huberAdjointTrue(a[0], a[1], o, g), (a, o, g) -> huberAdjointPred(a[0], a[1], o, g)),
                row("relu", a -> relu(a[0]), a -> relu(a[0]), (a, o, g) -> reluAdjoint(a[0], o, g)),
                row("sigmoid", a -> sigmoid(a[0]), a -> sigmoid(a[0]), (a, o, g) -> sigmoidAdjoint(a[0], o, g)),
                row("tanh", a -> tanh(a[0]), a -> tanh(a[0]), (a, o, g) -> tanhAdjoint(a[0], o, g)),
                row("softplus", a -> softplus(a[0]), a -> softplus(a[0]), (a, o, g) -> softplusAdjoint(a[0], o, g)),
                row("elu", a -> elu(a[0]), a -> elu(a[0]), (a, o, g) -> eluAdjoint(a[0], o, g)),
                row("selu", a -> selu(a[0]), a -> selu(a[0]), (a, o, g) -> seluAdjoint(a[0], o, g)),
                row("silu", a -> silu(a[0]), a -> silu(a[0]), (a, o, g) -> siluAdjoint(a[0], o, g)),
                row("gelu", a -> gelu(a[0]), a -> gelu(a[0]), (a, o, g) -> geluAdjoint(a[0], o, g)),
                row("leaky_relu", a -> leakyRelu(a[0]), a -> leakyRelu(a[0]), (a, o, g) -> leakyReluAdjoint(a[0], o, g)),
                row("kink_relu_zero", a -> relu(a[0]), a -> relu(a[0]), (a, o, g) -> reluAdjoint(a[0], o, g)),
                row("kink_leaky_relu_zero", a -> leakyRelu(a[0]), a -> leakyRelu(a[0]), (a, o, g) -> leakyReluAdjoint(a[0], o, g)),
                row("kink_selu_zero", a -> selu(a[0]), a -> selu(a[0]), (a, o, g) -> seluAdjoint(a[0], o, g)));
    }

    // ---- against PyTorch ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forwardMatchesPyTorch(Row row) {
        Map<String, Tensor> f = fixture(row.fixture());
        assertClose(f.get("out"), row.op().apply(args(f, row)), row + ": value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void adjointsMatchPyTorchGradients(Row row) {
        Map<String, Tensor> f = fixture(row.fixture());
        Tensor[] args = args(f, row);
        Tensor out = row.op().apply(args);
        for (int k = 0; k < args.length; k++) {
            assertClose(f.get("grad" + k), row.adjoints()[k].apply(args, out, f.get("r")), row + ": adjoint " + k);
        }
    }

    // ---- against central differences in double -----------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void adjointsMatchFloat64CentralDifferences(Row row) {
        assumeFalse(row.atKink(), "finite differences do not apply at a kink");
        Map<String, Tensor> f = fixture(row.fixture());
        Tensor[] args = args(f, row);
        Tensor out = row.op().apply(args);
        Tensor r = f.get("r");
        float[][] grads = new float[args.length][];
        for (int k = 0; k < args.length; k++) {
            Tensor grad = row.adjoints()[k].apply(args, out, r);
            assertArrayEquals(args[k].shape(), grad.shape(), row + ": adjoint " + k + " must have its argument's shape");
            grads[k] = grad.toArray();
        }
        Check64.op(row.toString(), args, out, grads, T64.of(r).v(), row.reference(), new Random(row.fixture().hashCode()));
    }

    // ---- the table and the fixtures stay in step ----------------------------------------------

    @Test
    void everyFixtureHasARowAndEveryRowAFixture() throws IOException, URISyntaxException {
        Path dir = Path.of(OpsReferenceTest.class.getResource(FIXTURES).toURI());
        Set<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString().replace(".safetensors", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> table = rows().map(Row::fixture).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, table, "rerun src/test/python/make_ops_reference.py after changing the table");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Map<String, Tensor> fixture(String name) {
        try {
            return Safetensors.read(Path.of(OpsReferenceTest.class.getResource(FIXTURES + name + ".safetensors").toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("no fixture " + name + ": run src/test/python/make_ops_reference.py", e);
        }
    }

    private static Tensor[] args(Map<String, Tensor> f, Row row) {
        Tensor[] args = new Tensor[row.adjoints().length];
        for (int k = 0; k < args.length; k++) {
            args[k] = f.get("x" + k);
        }
        assertTrue(!f.containsKey("x" + args.length), row + ": the fixture has more arguments than the row");
        return args;
    }

    /** float32 against the float64 reference: relative 1e-4, with an absolute floor for values near 0. */
    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape()));
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.buffer()[i];
            assertEquals(e, actual.buffer()[i], 1e-4 * Math.abs(e) + 1e-6, what + " [" + i + "]");
        }
    }
}
