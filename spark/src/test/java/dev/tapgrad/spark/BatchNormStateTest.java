package dev.tapgrad.spark;

import static dev.tapgrad.spark.SparkFitTest.assertSameHistory;
import static dev.tapgrad.spark.SparkFitTest.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Sgd;
import dev.tapgrad.runtime.train.GradientStep;
import dev.tapgrad.spark.models.BnNetGraph;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm's moving statistics come back from the executors: the workers' training forwards move
 * them, and the driver's model (the one that predicts afterwards) takes the example-weighted mean
 * of where they moved them, as Keras does with one BatchNorm per replica.
 */
class BatchNormStateTest {
    @Test
    void onOnePartitionTheMovingStatisticsAreFits() {
        Dataset train = Data.classes(100, 3);
        Fit fit = Fit.epochs(2).batchSize(16).optimizer(Sgd.lr(0.1)).seed(5).verbose(false);
        BnNetGraph local = new BnNetGraph(4);
        BnNetGraph spark = new BnNetGraph(4);
        History expected = local.fit(train, fit);
        History actual = SparkFit.on(LocalSpark.context()).partitions(1).fit(spark, train, fit);
        assertSameHistory(expected, actual);
        assertSameWeights(local, spark);
        assertSameState(GradientStep.of(local).state(), GradientStep.of(spark).state(), 1e-6);
        // fit moved them (from mean 0 and variance 1): otherwise equal values would prove nothing
        assertTrue(Math.abs(GradientStep.of(local).state()[1][0] - 1) > 0.05, "moving variance did not move");
    }

    @Test
    void onTwoPartitionsTheyAreTheExampleWeightedMeanOfTheShardsStatistics() {
        // one batch of all 41 examples: shard 0 holds examples 0..20, shard 1 examples 21..40, and each
        // worker's BatchNorm sees the raw features of its own examples (Keras: biased variance)
        Dataset train = Data.classes(41, 8);
        Fit fit = Fit.epochs(1).batchSize(41).optimizer(Sgd.lr(0.1)).seed(5).verbose(false);
        BnNetGraph spark = new BnNetGraph(4);
        SparkFit.on(LocalSpark.context()).partitions(2).fit(spark, train, fit);
        float[][] state = GradientStep.of(spark).state();
        double momentum = 0.5;
        for (int f = 0; f < 12; f++) {
            double[] a = meanAndVariance(train, 0, 21, f);
            double[] b = meanAndVariance(train, 21, 41, f);
            double mean = (21 * a[0] + 20 * b[0]) / 41;
            double variance = (21 * a[1] + 20 * b[1]) / 41;
            assertEquals(momentum * 0 + (1 - momentum) * mean, state[0][f], 1e-5, "moving_mean of feature " + f);
            assertEquals(momentum * 1 + (1 - momentum) * variance, state[1][f], 1e-5, "moving_variance of feature " + f);
        }
        // the moving mean is the whole batch's, as in fit on one process
        BnNetGraph local = new BnNetGraph(4);
        local.fit(train, fit);
        float[][] expected = GradientStep.of(local).state();
        for (int f = 0; f < 12; f++) {
            assertEquals(expected[0][f], state[0][f], 1e-5, "moving_mean of feature " + f + " against fit");
        }
    }

    @Test
    void parameterAveragingAveragesTheMovingStatisticsToo() {
        // on one partition, averaging is fit itself, moving statistics included
        Dataset train = Data.classes(96, 2);
        Fit fit = Fit.epochs(2).batchSize(16).optimizer(Adam.lr(3e-3)).seed(7).verbose(false);
        BnNetGraph local = new BnNetGraph(9);
        BnNetGraph spark = new BnNetGraph(9);
        local.fit(train, fit);
        SparkFit.on(LocalSpark.context()).partitions(1).averageEvery(2, () -> Adam.lr(3e-3)).fit(spark, train, fit);
        assertSameWeights(local, spark);
        assertSameState(GradientStep.of(local).state(), GradientStep.of(spark).state(), 1e-6);
        assertTrue(Math.abs(GradientStep.of(local).state()[1][0] - 1) > 0.05, "moving variance did not move");
    }

    @Test
    void stateOfTheWrongShapeIsRefusedByNameAndNothingIsWritten() {
        BnNetGraph model = new BnNetGraph(2);
        GradientStep step = GradientStep.of(model);
        float[][] before = step.state();
        float[][] wrong = {new float[12], new float[11]};
        java.util.Arrays.fill(wrong[0], 7f);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> step.setState(wrong));
        assertTrue(e.getMessage().contains("norm.moving_variance") && e.getMessage().contains("11"), e.getMessage());
        float[][] after = step.state();
        for (int p = 0; p < before.length; p++) {
            assertEquals(0, java.util.Arrays.compare(before[p], after[p]), "state " + p + " was written");
        }
        IllegalArgumentException count = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> step.setState(new float[1][12]));
        assertTrue(count.getMessage().contains("2 state values"), count.getMessage());
    }

    private static double[] meanAndVariance(Dataset data, int from, int to, int feature) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += data.x().get(i, feature);
        }
        double mean = sum / (to - from);
        double squares = 0;
        for (int i = from; i < to; i++) {
            squares += Math.pow(data.x().get(i, feature) - mean, 2);
        }
        return new double[] {mean, squares / (to - from)};
    }

    private static void assertSameState(float[][] expected, float[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        assertEquals(2, expected.length, "BatchNorm's moving mean and moving variance");
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                assertEquals(expected[p][i], actual[p][i], tolerance, "state " + p + " value " + i);
            }
        }
    }
}
