package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.TapgradDataException;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.io.Checkpoints;
import dev.tapgrad.runtime.optim.Sgd;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics of generated models against numbers counted by hand. The first is issue 12's silently
 * wrong number: one sigmoid unit with {@code metrics = ACCURACY} read 1.0 whatever it predicted,
 * because a one-column arg-max is always 0.
 */
class MetricsTest {
    @TempDir Path dir;

    /** x, and labels of which the rule "x > 0" gets 3 of 5 right: examples 0, 2 and 4. */
    private static final float[] X = {-2, -1, 1, 2, 3};
    private static final float[] Y = {0, 1, 1, 0, 1};

    /** Sets {@code out.kernel = 1, out.bias = 0}: the prediction is sigmoid(x) (or the logit x). */
    private void identityWeights(TrainableModel m) throws Exception {
        Path file = dir.resolve("w.safetensors");
        Checkpoints.save(file, List.of(new Parameter("out.kernel", Tensor.of(new float[] {1}, 1, 1)),
                new Parameter("out.bias", Tensor.of(new float[] {0}, 1))));
        m.load(file);
    }

    @Test
    void oneSigmoidUnitReportsItsTrueAccuracyNotOne() throws Exception {
        OneSigmoidNetGraph m = new OneSigmoidNetGraph(1);
        identityWeights(m);
        Dataset data = Dataset.of(Tensor.of(X, 5, 1), Tensor.of(Y, 5, 1));
        Map<String, Double> eval = m.evaluate(data);
        assertEquals(0.6, eval.get("accuracy"), 1e-12, "3 of 5 predictions are right: " + eval);
        // mae and mse by hand: |sigmoid(x) - y| per example
        double mae = 0;
        double mse = 0;
        double bce = 0;
        for (int i = 0; i < X.length; i++) {
            double p = 1 / (1 + Math.exp(-X[i]));
            mae += Math.abs(p - Y[i]) / X.length;
            mse += (p - Y[i]) * (p - Y[i]) / X.length;
            bce -= (Y[i] * Math.log(p) + (1 - Y[i]) * Math.log(1 - p)) / X.length;
        }
        assertEquals(mae, eval.get("mae"), 1e-6);
        assertEquals(mse, eval.get("mse"), 1e-6);
        assertEquals(bce, eval.get("binary_crossentropy"), 1e-6);
        assertEquals(List.of("loss", "binary_crossentropy", "accuracy", "mae", "mse"), List.copyOf(eval.keySet()));
    }

    @Test
    void fitHistoryReportsTheSameAccuracyAsEvaluateWithoutLearning() throws Exception {
        OneSigmoidNetGraph m = new OneSigmoidNetGraph(1);
        identityWeights(m);
        Dataset data = Dataset.of(Tensor.of(X, 5, 1), Tensor.of(Y, 5, 1));
        // learning rate 1e-9: the weights all but stay, so the epoch's accuracy is the counted one
        History h = m.fit(data, Fit.epochs(1).batchSize(2).optimizer(Sgd.lr(1e-9)).verbose(false));
        assertEquals(0.6, h.last("accuracy"), 1e-12, "epoch average over 3 batches of 2, 2 and 1 examples");
    }

    @Test
    void accuracyOnLogitsThresholdsAtZero() throws Exception {
        LogitsNetGraph m = new LogitsNetGraph(1);
        identityWeights(m);
        Map<String, Double> eval = m.evaluate(Dataset.of(Tensor.of(X, 5, 1), Tensor.of(Y, 5, 1)));
        assertEquals(0.6, eval.get("accuracy"), 1e-12, "the logit x > 0 is sigmoid(x) > 0.5");
        double bce = 0;
        for (int i = 0; i < X.length; i++) {
            double p = 1 / (1 + Math.exp(-X[i]));
            bce -= (Y[i] * Math.log(p) + (1 - Y[i]) * Math.log(1 - p)) / X.length;
        }
        assertEquals(bce, eval.get("binary_crossentropy"), 1e-6, "the logits' loss is the sigmoid's");
    }

    @Test
    void sparseLabelsTrainWithoutOneHotAndAccuracyIsSparse() throws Exception {
        SparseLabelsNetGraph m = new SparseLabelsNetGraph(1);
        Path file = dir.resolve("s.safetensors");
        // kernel picks class 0 for x0, class 1 for x1, class 2 for neither: logits (x0, x1, 0.5)
        Checkpoints.save(file, List.of(new Parameter("out.kernel", Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3)),
                new Parameter("out.bias", Tensor.of(new float[] {0, 0, 0.5f}, 3))));
        m.load(file);
        Tensor x = Tensor.of(new float[] {2, 0, 0, 2, 0, 0, 2, 0}, 4, 2); // predicted classes 0, 1, 2, 0
        Tensor ids = Tensor.of(new float[] {0, 1, 1, 2}, 4);             // right, right, wrong, wrong
        Map<String, Double> eval = m.evaluate(Dataset.of(x, ids));
        assertEquals(0.5, eval.get("accuracy"), 1e-12);
        Map<String, Double> column = m.evaluate(Dataset.of(x, ids.reshape(4, 1)));
        assertEquals(eval, column, "labels (N) and (N, 1) are the same labels");
        Map<String, Double> oneHot = new SparseAsCategorical().loss(m, x, new int[] {0, 1, 1, 2});
        assertEquals(oneHot.get("loss"), eval.get("sparse_categorical_crossentropy"), 1e-6);
        History h = m.fit(Dataset.of(x, ids), Fit.epochs(2).batchSize(4).optimizer(Sgd.lr(0.5)).verbose(false));
        assertTrue(h.last("loss") < eval.get("loss"), "two steps lower the loss: " + h);
    }

    @Test
    void sparseLabelsOutOfRangeAreANamedErrorBeforeTraining() throws Exception {
        SparseLabelsNetGraph m = new SparseLabelsNetGraph(1);
        Tensor x = Tensor.of(new float[] {2, 0, 0, 2}, 2, 2);
        Tensor before = m.predict(x);
        for (float bad : new float[] {3, -1, 0.5f}) {
            TapgradDataException e = assertThrows(TapgradDataException.class,
                    () -> m.fit(Dataset.of(x, Tensor.of(new float[] {0, bad}, 2)), Fit.epochs(1).verbose(false)));
            assertTrue(e.getMessage().contains("labels out of range: y[1] = " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("SparseLabelsNet") && e.getMessage().contains("from 0 to 2"),
                    e.getMessage());
        }
        TapgradDataException e = assertThrows(TapgradDataException.class,
                () -> m.evaluate(Dataset.of(x, Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3))));
        assertTrue(e.getMessage().contains("CATEGORICAL_CROSSENTROPY"), e.getMessage());
        assertArrayEquals(before.toArray(), m.predict(x).toArray(), "nothing changed");
    }

    /** The sparse loss computed by hand as the categorical crossentropy of one-hot rows. */
    private static final class SparseAsCategorical {
        Map<String, Double> loss(TrainableModel m, Tensor x, int[] ids) {
            Tensor p = m.predict(x);
            double total = 0;
            for (int r = 0; r < ids.length; r++) {
                total -= Math.log(p.get(r, ids[r]));
            }
            return Map.of("loss", total / ids.length);
        }
    }
}
