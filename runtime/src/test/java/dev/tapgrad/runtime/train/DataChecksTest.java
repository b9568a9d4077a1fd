package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.TapgradDataException;
import dev.tapgrad.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each data error names the model, the data, and both the expected and the actual shape or value. */
class DataChecksTest {
    private final TestGraph cnn = new TestGraph("SparseCnn", new int[] {28, 28, 1}, 10,
            LossKind.CATEGORICAL_CROSSENTROPY, 0.01, Metric.ACCURACY);

    private static Tensor oneHot(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return Dataset.oneHot(labels, 10);
    }

    /** Runs a failing fit and checks that the model was not touched. */
    private String fitFails(Dataset train, Fit fit) {
        cnn.kernel.value().fill(0.25f);
        String message = fails(() -> Trainer.fit(cnn, train, fit.verbose(false)));
        assertEquals(0, cnn.trainCalls);
        for (float v : cnn.kernel.value().buffer()) {
            assertEquals(0.25f, v);
        }
        return message;
    }

    private static String fails(Executable e) {
        return assertThrows(TapgradDataException.class, e).getMessage();
    }

    @Test
    void flatImagesAreToldToReshape() {
        assertEquals("Bad training data for SparseCnn: x has shape (5, 784), 784 features per example, but SparseCnn's"
                        + " input is (28, 28, 1): reshape x to (5, 28, 28, 1)",
                fitFails(Dataset.of(Tensor.zeros(5, 784), oneHot(5)), Fit.epochs(1)));
    }

    @Test
    void inputsOfAnotherSizeAreNamedWithBothShapes() {
        assertEquals("Bad training data for SparseCnn: x has shape (5, 32, 32, 3), (32, 32, 3) per example, but"
                        + " SparseCnn's input is (28, 28, 1): x should have shape (5, 28, 28, 1)",
                fitFails(Dataset.of(Tensor.zeros(5, 32, 32, 3), oneHot(5)), Fit.epochs(1)));
    }

    @Test
    void labelsWithTooFewColumns() {
        assertEquals("Bad training data for SparseCnn: labels have 5 columns but SparseCnn's output has 10 units"
                        + " (y has shape (4, 5), expected (4, 10))",
                fitFails(Dataset.of(Tensor.zeros(4, 28, 28, 1), Tensor.zeros(4, 5)), Fit.epochs(1)));
    }

    @Test
    void classNumbersInsteadOfOneHotRows() {
        assertEquals("Bad training data for SparseCnn: labels are one number per example but SparseCnn's output has"
                        + " 10 units (y has shape (4), expected (4, 10)): turn class numbers into one-hot rows with"
                        + " Dataset.oneHot(labels, 10), or declare loss = SPARSE_CATEGORICAL_CROSSENTROPY, which takes class ids",
                fitFails(Dataset.of(Tensor.zeros(4, 28, 28, 1), Tensor.of(new float[] {1, 2, 3, 4}, 4)), Fit.epochs(1)));
    }

    @Test
    void differentExampleCounts() {
        assertEquals("Bad data for gradients for SparseCnn: x has 3 examples but y has 2 (x (3, 28, 28, 1), y (2, 10));"
                        + " they need the same first dimension",
                fails(() -> Trainer.gradients(cnn, Tensor.zeros(3, 28, 28, 1), oneHot(2))));
        assertEquals("Dataset.of: x has 3 examples (shape (3, 784)) but y has 2 (shape (2, 10)); both need the same"
                        + " first dimension",
                fails(() -> Dataset.of(Tensor.zeros(3, 784), oneHot(2))));
    }

    @Test
    void nanInInputsNamesTheExampleAndPosition() {
        Tensor x = Tensor.zeros(4, 28, 28, 1);
        x.set(Float.NaN, 2, 5, 7, 0);
        assertEquals("Bad training data for SparseCnn: x[2, 5, 7, 0] is NaN (example 2); SparseCnn cannot learn from"
                        + " NaN or infinite values: clean or drop that example",
                fitFails(Dataset.of(x, oneHot(4)), Fit.epochs(1)));
    }

    @Test
    void infinityInValidationLabels() {
        Tensor y = oneHot(3);
        y.set(Float.POSITIVE_INFINITY, 1, 4);
        Dataset val = Dataset.of(Tensor.zeros(3, 28, 28, 1), y);
        assertEquals("Bad validation data for SparseCnn: y[1, 4] is Infinity (example 1); SparseCnn cannot learn from"
                        + " NaN or infinite values: clean or drop that example",
                fitFails(Dataset.of(Tensor.zeros(4, 28, 28, 1), oneHot(4)), Fit.epochs(1).validation(val)));
    }

    @Test
    void labelsOutsideZeroOne() {
        Tensor y = Tensor.zeros(13, 10);
        for (int i = 0; i < 13; i++) {
            y.set(1f, i, 0);
        }
        y.set(3f, 12, 0);
        assertEquals("Bad training data for SparseCnn: labels out of range: y[12, 0] = 3.0 for SparseCnn;"
                        + " categorical_crossentropy needs one-hot rows (values in [0, 1] summing to 1): use"
                        + " Dataset.oneHot(labels, 10)",
                fitFails(Dataset.of(Tensor.zeros(13, 28, 28, 1), y), Fit.epochs(1)));
    }

    @Test
    void labelRowsThatDoNotSumToOne() {
        Tensor y = oneHot(4);
        y.set(1f, 3, 9);
        assertEquals("Bad evaluation data for SparseCnn: labels do not sum to 1: row y[3] sums to 2.000 for SparseCnn;"
                        + " categorical_crossentropy needs one-hot rows (values in [0, 1] summing to 1): use"
                        + " Dataset.oneHot(labels, 10)",
                fails(() -> Trainer.evaluate(cnn, Dataset.of(Tensor.zeros(4, 28, 28, 1), y))));
    }

    /** MSE labels are not checked like one-hot rows: labels far outside [0, 1] are evaluated, not refused. */
    @Test
    void mseAcceptsAnyFiniteLabels() {
        TestGraph g = TestGraph.regression(2, 0);
        // The weights start at zero, so every prediction is 0 and the loss is ((-5)² + 7²) / 2 = 37.
        Map<String, Double> result = Trainer.evaluate(g, Dataset.of(Tensor.zeros(2, 2), Tensor.of(new float[] {-5, 7}, 2, 1)));
        assertEquals(37.0, result.get("mse"), 1e-12);
        assertEquals(37.0, result.get("loss"), 1e-12);
    }

    @Test
    void predictChecksTheInputShape() {
        assertEquals("Bad input to predict for SparseCnn: x has shape (2, 28, 28), (28, 28) per example, but"
                        + " SparseCnn's input is (28, 28, 1): reshape x to (2, 28, 28, 1)",
                fails(() -> Trainer.predict(cnn, Tensor.zeros(2, 28, 28))));
        assertArrayEquals(new int[] {0, 10}, Trainer.predict(cnn, Tensor.zeros(0, 28, 28, 1)).shape());
    }

    @Test
    void emptyTrainingData() {
        assertEquals("Bad training data for SparseCnn: there are no examples (x has shape (0, 28, 28, 1))",
                fitFails(Dataset.of(Tensor.zeros(0, 28, 28, 1), Tensor.zeros(0, 10)), Fit.epochs(1)));
    }
}
