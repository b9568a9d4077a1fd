package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Checkpoints;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Schedule;
import dev.tapgrad.runtime.optim.Sgd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training toolkit on the hand-written TestGraph: state across fits, callbacks, splits, clipping, errors. */
class ToolkitTest {
    @TempDir
    Path tmp;

    static TestGraph classifier() {
        TestGraph g = new TestGraph("Blobs", new int[] {2}, 3, LossKind.CATEGORICAL_CROSSENTROPY, 0.01, Metric.ACCURACY);
        // a start that is not a minimum, the same for every instance
        float[] w = g.kernel.value().buffer();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i + 1) * 0.1f;
        }
        return g;
    }

    static float[][] weights(TestGraph g) {
        return new float[][] {g.kernel.value().toArray(), g.bias.value().toArray()};
    }

    static void assertSameBits(float[][] a, float[][] b) {
        for (int p = 0; p < a.length; p++) {
            for (int i = 0; i < a[p].length; i++) {
                assertEquals(Float.floatToRawIntBits(a[p][i]), Float.floatToRawIntBits(b[p][i]), "parameter " + p + " element " + i);
            }
        }
    }

    @Test
    void twoFitsOfTwoEpochsEndWhereOneFitOfFourDoes() {
        Dataset data = TrainerTest.blobs(90, 1);
        Fit fit = Fit.epochs(4).batchSize(16).verbose(false).seed(3);
        TestGraph once = classifier();
        History four = Trainer.fit(once, data, fit);
        TestGraph twice = classifier();
        Trainer.fit(twice, data, Fit.epochs(2).batchSize(16).verbose(false).seed(3));
        History second = Trainer.fit(twice, data, Fit.epochs(2).batchSize(16).verbose(false).seed(3));
        assertSameBits(weights(once), weights(twice));
        assertEquals(four.get("loss").subList(2, 4), second.get("loss"));
        assertEquals(twice.training.optimizer().iterations(), 4 * 6);
        // A graph that keeps no state restarts Adam and the shuffle: the second call differs
        TestGraph forgetful = new TestGraph("Blobs", new int[] {2}, 3, LossKind.CATEGORICAL_CROSSENTROPY, 0.01, Metric.ACCURACY) {
            @Override
            public TrainingState trainingState() {
                return null;
            }
        };
        System.arraycopy(classifier().kernel.value().buffer(), 0, forgetful.kernel.value().buffer(), 0, 6);
        Trainer.fit(forgetful, data, Fit.epochs(2).batchSize(16).verbose(false).seed(3));
        Trainer.fit(forgetful, data, Fit.epochs(2).batchSize(16).verbose(false).seed(3));
        assertNotEquals(weights(once)[0][0], forgetful.kernel.value().buffer()[0]);
    }

    @Test
    void initialEpochNumbersTheEpochsAndRunsTheRest() {
        List<Integer> seen = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onEpochBegin(int epoch, TrainingControl control) {
                seen.add(epoch);
            }
        };
        History h = Trainer.fit(classifier(), TrainerTest.blobs(30, 1),
                Fit.epochs(5).initialEpoch(3).verbose(false).callbacks(recorder));
        assertEquals(List.of(4, 5), seen);
        assertEquals(2, h.epochs());
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(3).initialEpoch(3));
    }

    @Test
    void theLearningRateIsRecordedPerEpoch() {
        Dataset data = TrainerTest.blobs(64, 1);
        // 64 examples in batches of 16: 4 steps per epoch; the last step of epoch e is step 4e − 1
        History h = Trainer.fit(classifier(), data, Fit.epochs(3).batchSize(16).verbose(false)
                .optimizer(Adam.lr(Schedule.exponentialDecay(0.1, 4, 0.5))));
        assertEquals(List.of(0.1 * Math.pow(0.5, 3 / 4.0), 0.1 * Math.pow(0.5, 7 / 4.0), 0.1 * Math.pow(0.5, 11 / 4.0)),
                h.get("learning_rate"));
    }

    @Test
    void validationSplitHoldsOutTheLastFractionBeforeShuffling() {
        Dataset data = TrainerTest.blobs(50, 2);
        TestGraph g = classifier();
        History h = Trainer.fit(g, data, Fit.epochs(1).verbose(false).validationSplit(0.3));
        // floor(50 · 0.7) = 35 train; the validation is rows 35..49 in order, evaluated after the epoch
        Dataset[] parts = EpochLoop.split(data, 0.3);
        assertEquals(35, parts[0].size());
        assertEquals(15, parts[1].size());
        assertEquals(data.x().get(35, 0), parts[1].x().get(0, 0));
        assertEquals(data.y().get(49, 2), parts[1].y().get(14, 2));
        assertEquals(Trainer.evaluate(g, parts[1]).get("loss"), h.last("val_loss"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(classifier(), TrainerTest.blobs(3, 1), Fit.epochs(1).verbose(false).validationSplit(0.9)));
        assertTrue(e.getMessage().contains("validationSplit(0.9) of 3 examples leaves no training example"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).validationSplit(1.0));
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).validationSplit(0));
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).validation(data).validationSplit(0.2));
    }

    @Test
    void clipNormScalesAllGradientsTogether() {
        Parameter a = new Parameter("a", Tensor.of(new float[] {0, 0}, 2));
        Parameter b = new Parameter("b", Tensor.of(new float[] {0}, 1));
        a.grad().buffer()[0] = 3;
        a.grad().buffer()[1] = 0;
        b.grad().buffer()[0] = 4; // global norm 5
        EpochLoop.clipGlobalNorm(List.of(a, b), 1.0);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().buffer(), 1e-7f);
        assertArrayEquals(new float[] {0.8f}, b.grad().buffer(), 1e-7f);
        EpochLoop.clipGlobalNorm(List.of(a, b), 2.0); // norm 1 ≤ 2: unchanged
        assertArrayEquals(new float[] {0.8f}, b.grad().buffer(), 0f);
        // In fit: one full batch with Sgd lr 1, so the step is exactly minus the clipped gradient
        Dataset data = TrainerTest.regression(8, 1);
        TestGraph free = TestGraph.regression(3, 0);
        Trainer.fit(free, data, Fit.epochs(1).batchSize(8).verbose(false).optimizer(Sgd.lr(1)));
        TestGraph clipped = TestGraph.regression(3, 0);
        Trainer.fit(clipped, data, Fit.epochs(1).batchSize(8).verbose(false).optimizer(Sgd.lr(1)).clipNorm(0.5));
        double norm = 0;
        for (float v : free.kernel.value().buffer()) {
            norm += v * v;
        }
        norm += free.bias.value().buffer()[0] * free.bias.value().buffer()[0];
        assertTrue(Math.sqrt(norm) > 0.5);
        for (int i = 0; i < 3; i++) {
            assertEquals(free.kernel.value().buffer()[i] * 0.5 / Math.sqrt(norm), clipped.kernel.value().buffer()[i], 1e-6);
        }
    }

    private static TrainingControl control(TestGraph g, Fit fit, List<Map<String, Double>> records) {
        return new TrainingControl(g, fit.optimizer(), g.training.optimizer(), records, fit.epochs());
    }

    @Test
    void earlyStoppingCountsPatienceAsKerasAndRestoresTheBestWeights() {
        TestGraph g = classifier();
        TrainingControl control = control(g, Fit.epochs(10), new ArrayList<>());
        EarlyStopping stop = EarlyStopping.monitor("val_loss").patience(2).restoreBestWeights();
        stop.onTrainBegin(control);
        double[] losses = {1.0, 0.9, 0.95, 0.91, 0.5};
        for (int e = 1; e <= 4; e++) {
            g.kernel.value().buffer()[0] = e; // the weights "of" epoch e
            stop.onEpochEnd(e, Map.of("val_loss", losses[e - 1]), control);
            assertEquals(e == 4, control.stopRequested(), "epoch " + e);
        }
        assertEquals(4, stop.stoppedEpoch());
        assertEquals(2, stop.bestEpoch());
        stop.onTrainEnd(control);
        assertEquals(2f, g.kernel.value().buffer()[0]);
        // minDelta: 0.9 is not better than 1.0 by more than 0.2, so epoch 2 already waits; accuracy improves upwards
        EarlyStopping delta = EarlyStopping.monitor("val_accuracy").patience(1).minDelta(0.2);
        TrainingControl c2 = control(g, Fit.epochs(10), new ArrayList<>());
        delta.onTrainBegin(c2);
        delta.onEpochEnd(1, Map.of("val_accuracy", 0.5), c2);
        delta.onEpochEnd(2, Map.of("val_accuracy", 0.65), c2);
        assertTrue(c2.stopRequested());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.monitor("loss").patience(-1));
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.monitor("loss").minDelta(-0.1));
    }

    @Test
    void earlyStoppingEndsAFit() {
        // a fit whose loss cannot improve once it has converged: lr tiny after a plateau is not needed,
        // a user callback reports a rising value instead
        List<Integer> epochs = new ArrayList<>();
        Callback rising = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
                epochs.add(epoch);
            }
        };
        History h = Trainer.fit(classifier(), TrainerTest.blobs(60, 1), Fit.epochs(20).verbose(false)
                .callbacks(EarlyStopping.monitor("learning_rate").patience(3), rising));
        // a constant learning rate never improves on the first epoch's: stop after epoch 4
        assertEquals(List.of(1, 2, 3, 4), epochs);
        assertEquals(4, h.epochs());
    }

    @Test
    void reduceLrOnPlateauMultipliesTheRateDownToMinLr() {
        TestGraph g = classifier();
        Fit fit = Fit.epochs(10).optimizer(Sgd.lr(0.1));
        TrainingControl control = control(g, fit, new ArrayList<>());
        ReduceLrOnPlateau r = ReduceLrOnPlateau.monitor("loss").factor(0.5).patience(1).minLr(0.03);
        r.onTrainBegin(control);
        r.onEpochEnd(1, Map.of("loss", 1.0), control);
        assertEquals(0.1, control.learningRate());
        r.onEpochEnd(2, Map.of("loss", 0.99995), control); // not better by minDelta 1e-4
        assertEquals(0.05, control.learningRate(), 1e-15);
        r.onEpochEnd(3, Map.of("loss", 1.0), control);
        assertEquals(0.03, control.learningRate(), 1e-15);
        r.onEpochEnd(4, Map.of("loss", 1.0), control);
        assertEquals(0.03, control.learningRate(), 1e-15);
        // in a fit: the history shows the rate each epoch used, so a reduction shows from the next epoch. Monitoring
        // the rate itself (min mode): epoch 2 does not improve on epoch 1 → reduce; epoch 3's 0.05 improves → wait
        // restarts; epoch 4 does not improve → reduce again (seen in an epoch 5)
        History h = Trainer.fit(classifier(), TrainerTest.blobs(30, 1), Fit.epochs(4).verbose(false).optimizer(Sgd.lr(0.1))
                .callbacks(ReduceLrOnPlateau.monitor("learning_rate").factor(0.5).patience(1)));
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05), h.get("learning_rate"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(classifier(),
                TrainerTest.blobs(30, 1), Fit.epochs(2).verbose(false).optimizer(Sgd.lr(Schedule.cosineDecay(0.1, 10)))
                        .callbacks(ReduceLrOnPlateau.monitor("loss"))));
        assertTrue(e.getMessage().contains("takes it from a schedule"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReduceLrOnPlateau.monitor("loss").factor(1.0));
        assertThrows(IllegalArgumentException.class, () -> ReduceLrOnPlateau.monitor("loss").patience(-2));
    }

    @Test
    void modelCheckpointSavesOnlyTheBest() throws Exception {
        TestGraph g = classifier();
        Path file = tmp.resolve("best.safetensors");
        TrainingControl control = control(g, Fit.epochs(10), new ArrayList<>());
        ModelCheckpoint cp = ModelCheckpoint.to(file).monitor("val_accuracy").saveBestOnly();
        cp.onTrainBegin(control);
        double[] acc = {0.5, 0.7, 0.6};
        for (int e = 1; e <= 3; e++) {
            g.kernel.value().buffer()[0] = e;
            cp.onEpochEnd(e, Map.of("val_accuracy", acc[e - 1]), control);
        }
        TestGraph loaded = classifier();
        Checkpoints.load(file, loaded.parameters(), "Blobs");
        assertEquals(2f, loaded.kernel.value().buffer()[0]);
        // without saveBestOnly: every epoch
        ModelCheckpoint every = ModelCheckpoint.to(file);
        every.onEpochEnd(4, Map.of(), control);
        Checkpoints.load(file, loaded.parameters(), "Blobs");
        assertEquals(3f, loaded.kernel.value().buffer()[0]);
    }

    @Test
    void csvLoggerWritesEveryKeyPerEpoch() throws Exception {
        Path csv = tmp.resolve("log.csv");
        Dataset data = TrainerTest.blobs(60, 1);
        History h = Trainer.fit(classifier(), data, Fit.epochs(3).verbose(false).validation(TrainerTest.blobs(30, 2))
                .callbacks(CsvLogger.to(csv)));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,categorical_crossentropy,l2,accuracy,val_loss,val_categorical_crossentropy,val_l2,"
                + "val_accuracy,learning_rate", lines.get(0));
        assertEquals(4, lines.size());
        String[] row = lines.get(2).split(",");
        assertEquals("2", row[0]);
        assertEquals(h.get("val_loss").get(1), Double.parseDouble(row[5]));
        assertEquals(h.get("l2").get(1), Double.parseDouble(row[3]));
        assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void aMonitorNamingNoKeyFailsBeforeTrainingAndListsTheKeys() {
        TestGraph g = classifier();
        float before = g.kernel.value().buffer()[0];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(g,
                TrainerTest.blobs(30, 1), Fit.epochs(2).verbose(false).callbacks(EarlyStopping.monitor("val_acc"))));
        assertEquals("Blobs.fit: EarlyStopping.monitor(\"val_acc\") names no loss term or metric of this fit; the keys are "
                + "[loss, categorical_crossentropy, l2, accuracy, learning_rate] (the val_ keys exist only with validation "
                + "data: add Fit.validation(data) or Fit.validationSplit(0.2)). Nothing was trained.", e.getMessage());
        assertEquals(before, g.kernel.value().buffer()[0]);
        assertEquals(0, g.trainCalls);
        // with validation the val_ keys exist
        Trainer.fit(g, TrainerTest.blobs(30, 1), Fit.epochs(1).verbose(false).validationSplit(0.2)
                .callbacks(EarlyStopping.monitor("val_accuracy")));
    }
}
