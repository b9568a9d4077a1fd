package dev.tapgrad.spark;

import static dev.tapgrad.spark.SparkFitTest.assertClose;
import static dev.tapgrad.spark.SparkFitTest.assertSameHistory;
import static dev.tapgrad.spark.SparkFitTest.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.AdamW;
import dev.tapgrad.runtime.optim.Schedule;
import dev.tapgrad.runtime.train.Callback;
import dev.tapgrad.runtime.train.CsvLogger;
import dev.tapgrad.runtime.train.EarlyStopping;
import dev.tapgrad.runtime.train.TrainingControl;
import dev.tapgrad.spark.models.MlpGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synchronous SparkFit takes the training toolkit's Fit options as fit does: it runs fit's own loop. */
class FitOptionsTest {
    @TempDir
    Path dir;

    @Test
    void adamWWithCosineDecayClippingASplitAndEarlyStoppingEqualsFit() throws IOException {
        Dataset data = Data.classes(100, 3);   // validationSplit(0.2): 80 train (4 batches of 20), the last 20 validate
        MlpGraph local = new MlpGraph(5);
        MlpGraph spark = new MlpGraph(5);
        History expected = local.fit(data, options(dir.resolve("fit.csv")));
        History actual = SparkFit.on(LocalSpark.context()).partitions(2).fit(spark, data, options(dir.resolve("spark.csv")));
        assertTrue(expected.keys().containsAll(List.of("learning_rate", "val_loss", "val_accuracy")), expected.keys().toString());
        assertEquals(2, expected.epochs());
        assertSameHistory(expected, actual);
        assertSameWeights(local, spark);
        // the schedule moved (8 steps of a 10-step cosine): learning_rate is the optimizer's, not a constant
        assertTrue(actual.get("learning_rate").get(1) < actual.get("learning_rate").get(0), actual.get("learning_rate").toString());
        List<String> fitCsv = Files.readAllLines(dir.resolve("fit.csv"));
        List<String> sparkCsv = Files.readAllLines(dir.resolve("spark.csv"));
        assertEquals(fitCsv.get(0), sparkCsv.get(0), "CsvLogger's header");
        assertEquals(3, sparkCsv.size(), "CsvLogger wrote one row per epoch on the driver: " + sparkCsv);
    }

    private static Fit options(Path csv) {
        return Fit.epochs(2).batchSize(20).seed(4).verbose(false)
                .optimizer(AdamW.lr(Schedule.cosineDecay(1e-2, 10)).weightDecay(0.01))
                .clipNorm(0.05)   // small enough to clip every step of this MLP
                .validationSplit(0.2)
                .callbacks(EarlyStopping.monitor("val_loss").patience(1).restoreBestWeights(), CsvLogger.to(csv));
    }

    @Test
    void twoCallsOfOneEpochTrainAsOneCallOfTwo() {
        // Adam's moments and step count, and the epoch count that picks the shuffle, stay on the model between calls
        Dataset train = Data.classes(96, 4);
        MlpGraph once = new MlpGraph(6);
        MlpGraph twice = new MlpGraph(6);
        MlpGraph local = new MlpGraph(6);
        History whole = SparkFit.fit(LocalSpark.context(), once, train, adam(2));
        History first = SparkFit.fit(LocalSpark.context(), twice, train, adam(1));
        History second = SparkFit.fit(LocalSpark.context(), twice, train, adam(1));
        local.fit(train, adam(1));
        local.fit(train, adam(1));
        assertSameWeights(once, twice);
        assertSameWeights(local, twice);
        for (String key : whole.keys()) {
            assertClose(whole.get(key).get(0), first.last(key), key + " of the first call");
            assertClose(whole.get(key).get(1), second.last(key), key + " of the second call");
        }
    }

    private static Fit adam(int epochs) {
        return Fit.epochs(epochs).batchSize(32).seed(9).verbose(false).optimizer(Adam.lr(Schedule.exponentialDecay(5e-3, 3, 0.5)));
    }

    @Test
    void aCallbackThatStopsTrainingStopsSparkFitAtTheSameEpoch() {
        Dataset train = Data.classes(64, 5);
        List<Integer> fitEpochs = new ArrayList<>();
        List<Integer> sparkEpochs = new ArrayList<>();
        MlpGraph local = new MlpGraph(7);
        MlpGraph spark = new MlpGraph(7);
        History expected = local.fit(train, stopAfter(2, fitEpochs));
        History actual = SparkFit.fit(LocalSpark.context(), spark, train, stopAfter(2, sparkEpochs));
        assertEquals(List.of(1, 2), fitEpochs);
        assertEquals(fitEpochs, sparkEpochs);
        assertEquals(2, actual.epochs());
        assertSameHistory(expected, actual);
        assertSameWeights(local, spark);
    }

    private static Fit stopAfter(int epoch, List<Integer> seen) {
        Callback stop = new Callback() {
            @Override
            public void onEpochEnd(int e, Map<String, Double> logs, TrainingControl control) {
                seen.add(e);
                if (e == epoch) {
                    control.stopTraining();
                }
            }
        };
        return Fit.epochs(5).batchSize(32).seed(2).verbose(false).optimizer(Adam.lr(1e-2)).callbacks(stop);
    }

    @Test
    void itsBackupIsFitsBackup() {
        // written on the driver by fit's loop: a plain fit resumes from it (here: finds it finished)
        Dataset train = Data.classes(64, 6);
        Path backup = dir.resolve("backup");
        MlpGraph spark = new MlpGraph(8);
        Fit fit = Fit.epochs(2).batchSize(32).seed(3).verbose(false).optimizer(Adam.lr(1e-2)).backupTo(backup);
        History trained = SparkFit.fit(LocalSpark.context(), spark, train, fit);
        MlpGraph resumed = new MlpGraph(99);
        History restored = resumed.fit(train, fit);
        assertSameHistory(trained, restored);
        assertSameWeights(spark, resumed);
    }

    @Test
    void averagingRefusesTheOptionsItCannotHonour() {
        Dataset train = Data.classes(16, 1);
        Fit fit = Fit.epochs(1).verbose(false).clipNorm(1).callbacks(EarlyStopping.monitor("loss"));
        MlpGraph model = new MlpGraph(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkFit.on(LocalSpark.context()).averageEvery(2).fit(model, train, fit));
        assertTrue(e.getMessage().contains("callbacks, clipNorm") && e.getMessage().contains("synchronous mode"), e.getMessage());
        assertSameWeights(new MlpGraph(1), model);   // nothing was trained
    }
}
