package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainingDivergedException;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static final float[] W_TRUE = {1f, -2f, 0.5f};
    static final float B_TRUE = 0.3f;

    /** y = x·w_true + b_true on n standard-normal examples. */
    static Dataset regression(int n, long seed) {
        Tensor x = Tensor.randn(new Random(seed), n, 3);
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            double s = B_TRUE;
            for (int f = 0; f < 3; f++) {
                s += x.get(i, f) * W_TRUE[f];
            }
            y.set((float) s, i, 0);
        }
        return Dataset.of(x, y);
    }

    /** Two well separated blobs per class along one axis each; 3 classes, 2 features. */
    static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.zeros(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            double angle = 2 * Math.PI * labels[i] / 3;
            x.set((float) (3 * Math.cos(angle) + 0.3 * r.nextGaussian()), i, 0);
            x.set((float) (3 * Math.sin(angle) + 0.3 * r.nextGaussian()), i, 1);
        }
        return Dataset.of(x, Dataset.oneHot(labels, 3));
    }

    @Test
    void fitReducesTheLossAndRecordsEveryKey() {
        TestGraph g = TestGraph.regression(3, 0.01);
        Dataset train = regression(100, 1);
        Dataset val = regression(40, 2);
        History h = Trainer.fit(g, train, Fit.epochs(15).batchSize(16).optimizer(Sgd.lr(0.05)).validation(val).verbose(false));

        assertEquals(List.of("loss", "mse", "l2", "val_loss", "val_mse", "val_l2", "learning_rate"), h.keys());
        assertEquals(15, h.epochs());
        assertTrue(h.last("loss") < h.get("loss").get(0) / 10, h.toString());
        for (int e = 0; e < 15; e++) {
            assertEquals(h.get("mse").get(e) + 0.01 * h.get("l2").get(e), h.get("loss").get(e), 1e-12);
            assertEquals(h.get("val_mse").get(e) + 0.01 * h.get("val_l2").get(e), h.get("val_loss").get(e), 1e-12);
        }
        // Validation runs after the epoch's last step, on the final weights: the same as evaluate now.
        Map<String, Double> now = Trainer.evaluate(g, val);
        assertEquals(now.get("loss"), h.last("val_loss"));
        assertEquals(now.get("l2"), h.last("val_l2"));
        // 100 examples in batches of 16: 6 full and one of 4, each an optimizer step.
        assertEquals(15 * 7, g.trainCalls);
    }

    @Test
    void epochAveragesWeightBatchesBySize() {
        // With lr tiny, the weights barely move, so each batch's loss is that of the zero model:
        // the epoch average must be the plain mean of y² over all examples, not a mean of batch means.
        TestGraph g = TestGraph.regression(3, 0);
        Dataset train = regression(10, 3);
        History h = Trainer.fit(g, train, Fit.epochs(1).batchSize(4).optimizer(Sgd.lr(1e-12)).verbose(false));
        double expected = 0;
        for (float v : train.y().buffer()) {
            expected += (double) v * v;
        }
        assertEquals(expected / 10, h.last("mse"), 1e-6);
    }

    @Test
    void classifierLearnsAndReportsAccuracy() {
        TestGraph g = new TestGraph("Blobs", new int[] {2}, 3, LossKind.CATEGORICAL_CROSSENTROPY, 0, Metric.ACCURACY);
        History h = Trainer.fit(g, blobs(90, 4), Fit.epochs(5).batchSize(10).optimizer(Adam.lr(0.05)).verbose(false));
        assertEquals(List.of("loss", "categorical_crossentropy", "accuracy", "learning_rate"), h.keys());
        assertTrue(h.last("accuracy") > 0.95, h.toString());
        assertTrue(h.last("loss") < h.get("loss").get(0), h.toString());
    }

    @Test
    void sameSeedSameRunOtherSeedOtherRun() {
        Dataset train = regression(50, 5);
        Fit fit = Fit.epochs(3).batchSize(8).optimizer(Sgd.lr(0.01)).verbose(false);
        TestGraph a = TestGraph.regression(3, 0);
        TestGraph b = TestGraph.regression(3, 0);
        TestGraph c = TestGraph.regression(3, 0);
        assertEquals(Trainer.fit(a, train, fit.seed(9)).get("loss"), Trainer.fit(b, train, fit.seed(9)).get("loss"));
        Trainer.fit(c, train, fit.seed(10));
        assertArrayEquals(a.kernel.value().toArray(), b.kernel.value().toArray());
        assertNotEquals(a.kernel.value().get(0, 0), c.kernel.value().get(0, 0));
    }

    @Test
    void evaluateAveragesOverExamplesAcrossBatchesOf256() {
        TestGraph g = new TestGraph("Blobs", new int[] {2}, 3, LossKind.CATEGORICAL_CROSSENTROPY, 0, Metric.ACCURACY);
        // Kernel picks feature 0 for class 0 and feature 1 for class 1; class 2 never wins.
        g.kernel.value().set(1f, 0, 0);
        g.kernel.value().set(1f, 1, 1);
        Dataset data = blobs(300, 6);
        Map<String, Double> m = Trainer.evaluate(g, data);
        assertEquals(List.of("loss", "categorical_crossentropy", "accuracy"), List.copyOf(m.keySet()));

        double ce = 0;
        int correct = 0;
        for (int i = 0; i < 300; i++) {
            double z0 = data.x().get(i, 0);
            double z1 = data.x().get(i, 1);
            double norm = Math.exp(z0) + Math.exp(z1) + 1;
            int label = i % 3;
            double p = (label == 0 ? Math.exp(z0) : label == 1 ? Math.exp(z1) : 1) / norm;
            ce -= Math.log(Math.min(Math.max(p, 1e-7), 1 - 1e-7));
            int arg = z0 >= z1 && z0 >= 0 ? 0 : z1 >= 0 ? 1 : 2;
            correct += arg == label ? 1 : 0;
        }
        assertEquals(ce / 300, m.get("loss"), 1e-5);
        assertEquals(ce / 300, m.get("categorical_crossentropy"), 1e-5);
        assertEquals(correct / 300.0, m.get("accuracy"), 1e-12);
        assertEquals(0, g.trainCalls);
    }

    @Test
    void predictReturnsANewTensorOfEveryRow() {
        TestGraph g = TestGraph.regression(3, 0);
        g.kernel.value().copyFrom(Tensor.of(W_TRUE, 3, 1));
        g.bias.value().fill(B_TRUE);
        Dataset data = regression(300, 7);
        Tensor p = Trainer.predict(g, data.x());
        assertArrayEquals(new int[] {300, 1}, p.shape());
        assertArrayEquals(data.y().toArray(), p.toArray(), 1e-5f);
        Tensor again = Trainer.predict(g, data.x());
        assertNotEquals(System.identityHashCode(p.buffer()), System.identityHashCode(again.buffer()));
        assertArrayEquals(p.toArray(), again.toArray());
    }

    @Test
    void gradientsMatchTheHandDerivationAndLeaveWeightsAlone() {
        TestGraph g = TestGraph.regression(3, 0.5);
        g.kernel.value().copyFrom(Tensor.of(new float[] {0.1f, 0.2f, -0.3f}, 3, 1));
        g.bias.value().fill(0.05f);
        Dataset data = regression(20, 8);
        float[] before = g.kernel.value().toArray();

        Gradients grads = Trainer.gradients(g, data.x(), data.y());
        assertArrayEquals(before, g.kernel.value().toArray());
        assertEquals(0.05f, g.bias.value().get(0));
        assertEquals(List.of("mse", "l2"), List.copyOf(grads.terms().keySet()));
        assertEquals(grads.terms().get("mse") + 0.5 * grads.terms().get("l2"), grads.loss(), 1e-12);
        assertEquals(0.01 + 0.04 + 0.09, grads.terms().get("l2"), 1e-6);

        // d/dw [mean (x·w + b − y)² + 0.5 Σ w²] = 2/n Σ x (x·w + b − y) + w
        double[] expected = new double[3];
        for (int i = 0; i < 20; i++) {
            double r = 0.05 - data.y().get(i, 0);
            for (int f = 0; f < 3; f++) {
                r += data.x().get(i, f) * before[f];
            }
            for (int f = 0; f < 3; f++) {
                expected[f] += 2.0 / 20 * data.x().get(i, f) * r;
            }
        }
        for (int f = 0; f < 3; f++) {
            assertEquals(expected[f] + before[f], grads.get("dense.kernel").get(f, 0), 1e-5);
        }
        // Copies: the graph's own grad buffers can change without changing the result.
        g.kernel.grad().fill(42f);
        assertNotEquals(42f, grads.get("dense.kernel").get(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> grads.get("dense.weight"));
        assertEquals("no parameter 'dense.weight'; the parameters are [dense.kernel, dense.bias]", e.getMessage());
    }

    @Test
    void aNanTermStopsBeforeTheStepReachesTheWeights() {
        TestGraph g = TestGraph.regression(3, 0);
        g.nanAtCall = 3;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.fit(g, regression(40, 9), Fit.epochs(2).batchSize(8).optimizer(Sgd.lr(0.1)).verbose(false)));
        assertEquals(1, e.epoch());
        assertEquals(3, e.batch());
        assertEquals("mse", e.term());
        assertTrue(e.getMessage().startsWith("LinearModel diverged in epoch 1, batch 3 of 5: the loss term mse is NaN"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Try a lower learning rate than Sgd(lr=0.1)"), e.getMessage());
        assertWeightsAre(g.weightsAtLastCall, g);
    }

    @Test
    void aHugeLearningRateDivergesWithoutApplyingTheBadStep() {
        TestGraph g = TestGraph.regression(3, 0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.fit(g, regression(64, 10), Fit.epochs(50).batchSize(8).optimizer(Sgd.lr(1e6)).verbose(false)));
        assertTrue(e.getMessage().contains("lower learning rate"), e.getMessage());
        assertWeightsAre(g.weightsAtLastCall, g);
    }

    private static void assertWeightsAre(List<float[]> expected, TestGraph g) {
        List<Parameter> ps = g.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(expected.get(i), ps.get(i).value().toArray(), ps.get(i).name());
        }
    }

    @Test
    void verboseWritesOnlyToStandardErrorAndQuietWritesNothing() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            Dataset train = regression(32, 11);
            Trainer.fit(TestGraph.regression(3, 0.01), train,
                    Fit.epochs(2).batchSize(8).optimizer(Sgd.lr(0.01)).validation(train).verbose(false));
            assertEquals("", o.toString(StandardCharsets.UTF_8));
            assertEquals("", e.toString(StandardCharsets.UTF_8));

            Trainer.fit(TestGraph.regression(3, 0.01), train,
                    Fit.epochs(2).batchSize(8).optimizer(Sgd.lr(0.01)).validation(train));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", o.toString(StandardCharsets.UTF_8));
        String log = e.toString(StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s).*Epoch 1/2: loss \\d+\\.\\d{4} = mse \\d+\\.\\d{4} \\+ 0\\.01×l2 \\d+\\.\\d{4}"
                + " · val_loss \\d+\\.\\d{4} = val_mse \\d+\\.\\d{4} \\+ 0\\.01×val_l2 \\d+\\.\\d{4} \\(\\d+\\.\\d s\\)\n.*"), log);
        assertTrue(log.contains("Epoch 2/2"), log);
    }

    @Test
    void describeShowsEachTermWithItsWeight() {
        Map<String, Double> v = new java.util.LinkedHashMap<>();
        v.put("loss", 0.4112);
        v.put("categorical_crossentropy", 0.3901);
        v.put("sparsity", 2.11);
        v.put("accuracy", 0.8614);
        assertEquals("loss 0.4112 = categorical_crossentropy 0.3901 + 0.01×sparsity 2.1100 · accuracy 0.861",
                Progress.describe(v, "", List.of("categorical_crossentropy", "sparsity"), new double[] {1, 0.01}));
    }

    @Test
    void describeDerivesATermNamedLikeTheTotal() {
        // a @Loss method called "loss" plus an aux term: the key "loss" holds the weighted total 0.5 + 0.1·2 = 0.7
        Map<String, Double> v = new java.util.LinkedHashMap<>();
        v.put("loss", 0.7);
        v.put("small", 2.0);
        assertEquals("loss 0.7000 = loss 0.5000 + 0.1×small 2.0000",
                Progress.describe(v, "", List.of("loss", "small"), new double[] {1, 0.1}));
    }

    /** The vectorised finiteness check agrees with Float.isFinite on every kind of float, anywhere in the array. */
    @org.junit.jupiter.api.Test
    void allFiniteFindsEveryNonFiniteValue() {
        float[] finite = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1.5f, -3e-39f};
        org.junit.jupiter.api.Assertions.assertTrue(Trainer.allFinite(finite));
        org.junit.jupiter.api.Assertions.assertTrue(Trainer.allFinite(new float[0]));
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001),
                Float.intBitsToFloat(0x7f800001)};
        for (float b : bad) {
            for (int at : new int[] {0, 5, 36}) {
                float[] v = new float[37];
                java.util.Arrays.fill(v, 0.25f);
                v[at] = b;
                org.junit.jupiter.api.Assertions.assertFalse(Trainer.allFinite(v), b + " at " + at);
            }
        }
    }
}
