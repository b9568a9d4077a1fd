package dev.tapgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.optim.Sgd;
import dev.tapgrad.runtime.train.GradientStep;
import dev.tapgrad.spark.models.FlakyGraph;
import dev.tapgrad.spark.models.MlpGraph;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synchronous SparkFit on local[2] is single-process fit, within float rounding. */
class SparkFitTest {
    static final double TOLERANCE = 1e-5;

    @Test
    void withSgdItEqualsFitAfterTwoEpochs() {
        assertSameAsFit(Sgd.lr(0.1), 0);
    }

    @Test
    void withAdamItEqualsFitAfterTwoEpochs() {
        assertSameAsFit(Adam.lr(3e-3), 3);
    }

    @Test
    void emptyPartitionsTakeNoPart() {
        // 5 examples over 8 partitions: three shards are empty, and most batches miss most shards
        Dataset train = Data.classes(5, 4);
        Fit fit = Fit.epochs(2).batchSize(2).optimizer(Sgd.lr(0.1)).seed(1).verbose(false);
        MlpGraph local = new MlpGraph(3);
        MlpGraph spark = new MlpGraph(3);
        History expected = local.fit(train, fit);
        History actual = SparkFit.on(LocalSpark.context()).partitions(8).fit(spark, train, fit);
        assertSameHistory(expected, actual);
        assertSameWeights(local, spark);
    }

    @Test
    void aLostTaskIsRetriedAndTheResultIsUnchanged() {
        Dataset train = Data.classes(64, 5);
        Fit fit = Fit.epochs(1).batchSize(16).optimizer(Sgd.lr(0.1)).seed(2).verbose(false);
        FlakyGraph local = new FlakyGraph(5);
        FlakyGraph spark = new FlakyGraph(5);
        History expected = local.fit(train, fit);
        dev.tapgrad.spark.models.Flaky.FAILURES.set(1); // the first executor task to build its model fails
        History actual;
        try {
            actual = SparkFit.fit(LocalSpark.context(), spark, train, fit);
        } finally {
            dev.tapgrad.spark.models.Flaky.FAILURES.set(0);
        }
        assertTrue(dev.tapgrad.spark.models.Flaky.FAILURES.get() <= 0);
        assertSameHistory(expected, actual);
        assertSameWeights(local, spark);
    }

    @Test
    void aTaskThatFailsEveryTimeFailsTheFitWithTheCauseAndTheWeightsOfTheLastStep() {
        Dataset train = Data.classes(32, 6);
        FlakyGraph model = new FlakyGraph(6);
        float[][] before = GradientStep.of(model).weights();
        dev.tapgrad.spark.models.Flaky.FAILURES.set(1_000);
        IllegalStateException e;
        try {
            e = assertThrows(IllegalStateException.class, () -> SparkFit.fit(LocalSpark.context(), model, train,
                    Fit.epochs(1).batchSize(8).verbose(false)));
        } finally {
            dev.tapgrad.spark.models.Flaky.FAILURES.set(0);
        }
        assertTrue(e.getMessage().contains("step 1 of epoch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
        float[][] after = GradientStep.of(model).weights();
        for (int p = 0; p < before.length; p++) {
            assertEquals(0, java.util.Arrays.compare(before[p], after[p]), "weights changed after a failed first step");
        }
    }

    private static void assertSameAsFit(Optimizer optimizer, int partitions) {
        Dataset train = Data.classes(200, 1);   // 200 = 6 batches of 32 and one of 8
        Dataset validation = Data.classes(50, 2);
        Fit fit = Fit.epochs(2).batchSize(32).optimizer(optimizer).validation(validation).seed(7).verbose(false);
        MlpGraph local = new MlpGraph(11);
        MlpGraph spark = new MlpGraph(11);
        float[][] initial = GradientStep.of(local).weights();
        List<double[]> localTerms = new ArrayList<>();
        List<double[]> sparkTerms = new ArrayList<>();
        History expected = local.fit(train, fit.onBatchEnd((e, b, terms) -> localTerms.add(terms.clone())));
        SparkFit on = SparkFit.on(LocalSpark.context());
        if (partitions > 0) {
            on = on.partitions(partitions);
        }
        History actual = on.fit(spark, train, fit.onBatchEnd((e, b, terms) -> sparkTerms.add(terms.clone())));
        assertSameHistory(expected, actual);
        assertSameWeights(local, spark);
        assertEquals(14, sparkTerms.size(), "one batch listener call per step");
        for (int k = 0; k < localTerms.size(); k++) {
            for (int i = 0; i < localTerms.get(k).length; i++) {
                assertClose(localTerms.get(k)[i], sparkTerms.get(k)[i], "step " + k + " term " + i);
            }
        }
        // and it trained: otherwise equal weights would prove nothing
        assertTrue(expected.get("loss").get(1) < expected.get("loss").get(0), expected.get("loss").toString());
        float[][] trained = GradientStep.of(spark).weights();
        double moved = 0;
        for (int p = 0; p < trained.length; p++) {
            for (int i = 0; i < trained[p].length; i++) {
                moved = Math.max(moved, Math.abs(trained[p][i] - initial[p][i]));
            }
        }
        assertTrue(moved > 1e-2, "the weights barely moved: " + moved);
    }

    static void assertSameHistory(History expected, History actual) {
        assertEquals(expected.keys(), actual.keys());
        for (String key : expected.keys()) {
            for (int e = 0; e < expected.get(key).size(); e++) {
                assertClose(expected.get(key).get(e), actual.get(key).get(e), key + " in epoch " + (e + 1));
            }
        }
    }

    static void assertSameWeights(TrainableModel expected, TrainableModel actual) {
        float[][] a = GradientStep.of(expected).weights();
        float[][] b = GradientStep.of(actual).weights();
        for (int p = 0; p < a.length; p++) {
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < a[p].length; i++) {
                diff += Math.pow(a[p][i] - b[p][i], 2);
                norm += Math.pow(a[p][i], 2);
            }
            assertTrue(Math.sqrt(diff) <= TOLERANCE * Math.sqrt(norm),
                    "parameter " + p + ": |fit - SparkFit| = " + Math.sqrt(diff) + ", |fit| = " + Math.sqrt(norm));
        }
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1e-3, Math.abs(expected)), what);
    }
}
