package dev.tapgrad.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.LossKind;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Check64;
import dev.tapgrad.runtime.f64.Ops64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.internal.MainLoss;
import dev.tapgrad.runtime.io.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The crossentropies on logits ({@code @Model(fromLogits = true)}), as the main loss runs them:
 * values and gradients against PyTorch's losses on logits (fixtures of
 * {@code src/test/python/make_logits_reference.py}), and against float64 central differences of
 * the plainly written formulas ({@link Ops64}) away from overflow.
 */
class LogitsLossesTest {
    private static Map<String, Tensor> fixtures() throws Exception {
        return Safetensors.read(Path.of(LogitsLossesTest.class.getResource("/dev/tapgrad/runtime/loss/logits.safetensors").toURI()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"categorical, CATEGORICAL_CROSSENTROPY", "sparse, SPARSE_CATEGORICAL_CROSSENTROPY",
            "binary, BINARY_CROSSENTROPY", "binary_extreme, BINARY_CROSSENTROPY",
            "categorical_extreme, CATEGORICAL_CROSSENTROPY"})
    void mainLossOnLogitsMatchesPyTorch(String name, LossKind kind) throws Exception {
        Map<String, Tensor> f = fixtures();
        Tensor y = f.get(name + ".y");
        Tensor z = f.get(name + ".z");
        Tensor grad = Tensor.zeros(z.shape());
        double loss = MainLoss.valueAndGradientOfLogits(kind, y, z, grad, 1.0);
        float expected = f.get(name + ".loss").buffer()[0];
        assertEquals(expected, loss, 1e-4 * Math.abs(expected) + 1e-6, name + ": value");
        float[] e = f.get(name + ".grad").buffer();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], grad.buffer()[i], 1e-4 * Math.abs(e[i]) + 1e-6, name + ": gradient [" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"categorical, CATEGORICAL_CROSSENTROPY", "sparse, SPARSE_CATEGORICAL_CROSSENTROPY",
            "binary, BINARY_CROSSENTROPY"})
    void mainLossOnLogitsMatchesFloat64CentralDifferences(String name, LossKind kind) throws Exception {
        Map<String, Tensor> f = fixtures();
        Tensor y = f.get(name + ".y");
        Tensor z = f.get(name + ".z");
        BinaryOperator<T64> reference = switch (kind) {
            case CATEGORICAL_CROSSENTROPY -> Ops64::categoricalCrossentropyOfLogits;
            case SPARSE_CATEGORICAL_CROSSENTROPY -> Ops64::sparseCategoricalCrossentropyOfLogits;
            default -> Ops64::binaryCrossentropyOfLogits;
        };
        Tensor grad = Tensor.zeros(z.shape());
        double loss = MainLoss.valueAndGradientOfLogits(kind, y, z, grad, 1.0);
        T64 labels = T64.of(y);
        assertEquals(reference.apply(labels, T64.of(z)).item(), loss, 1e-6 * Math.abs(loss), name + ": value");
        double[][] at = Check64.widen(z.toArray());
        Check64.gradients(name, new String[] {"logits"}, at, new float[][] {grad.toArray()},
                a -> reference.apply(labels, new T64(a[0], z.shape())).item(), new Random(name.hashCode()));
    }

    @Test
    void probabilitiesAndLogitsAgreeThroughTheSigmoidAndSoftmax() {
        Tensor z = Tensor.of(new float[] {-1.5f, 0.2f, 2.0f, -0.3f, 0.7f, 1.1f}, 2, 3);
        Tensor y = Tensor.of(new float[] {1, 0, 0, 0, 0, 1}, 2, 3);
        Tensor sig = Tensor.zeros(2, 3);
        Tensor soft = Tensor.zeros(2, 3);
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += Math.exp(z.get(r, j));
            }
            for (int j = 0; j < 3; j++) {
                sig.set((float) (1 / (1 + Math.exp(-z.get(r, j)))), r, j);
                soft.set((float) (Math.exp(z.get(r, j)) / sum), r, j);
            }
        }
        assertEquals(MainLoss.valueAndGradient(LossKind.BINARY_CROSSENTROPY, y, sig, null, 1),
                MainLoss.valueAndGradientOfLogits(LossKind.BINARY_CROSSENTROPY, y, z, null, 1), 1e-6);
        assertEquals(MainLoss.valueAndGradient(LossKind.CATEGORICAL_CROSSENTROPY, y, soft, null, 1),
                MainLoss.valueAndGradientOfLogits(LossKind.CATEGORICAL_CROSSENTROPY, y, z, null, 1), 1e-6);
        Tensor ids = Tensor.of(new float[] {0, 2}, 2);
        assertEquals(MainLoss.valueAndGradient(LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, ids, soft, null, 1),
                MainLoss.valueAndGradientOfLogits(LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, ids, z, null, 1), 1e-6);
    }

    @Test
    void regressionLossesTakeNoLogitsAndSparseLabelsMustBeClassIds() {
        Tensor t = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> MainLoss.valueAndGradientOfLogits(LossKind.HUBER, t, t, null, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MainLoss.valueAndGradient(
                LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, Tensor.of(new float[] {0, 3}, 2), t, null, 1));
        assertTrue(e.getMessage().contains("label 3.0 of row 1 is not a class id in [0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MainLoss.valueAndGradient(
                LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, Tensor.zeros(3), t, null, 1), "3 labels for 2 rows");
        assertArrayEquals(new int[] {2, 3}, t.shape());
    }
}
