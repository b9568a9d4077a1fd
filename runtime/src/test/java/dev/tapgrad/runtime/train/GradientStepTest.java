package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.TrainingDivergedException;
import dev.tapgrad.runtime.optim.Schedule;
import dev.tapgrad.runtime.optim.Sgd;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hook of distributed training: shares of a batch, added and applied, are fit's step on the batch. */
class GradientStepTest {
    @Test
    void theOrderIsTheOneFitsBatchesDraw() {
        int n = 37;
        Tensor x = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, i, 0);
        }
        Batches b = new Batches(x, null, n);
        for (int epoch = 0; epoch < 3; epoch++) {
            b.shuffle(new Random(11 + epoch));
            b.gather(0);
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = (int) b.x(0).get(i, 0);
            }
            assertArrayEquals(rows, GradientStep.order(n, 11, epoch));
        }
    }

    @Test
    void sharesOfABatchAddUpToFitsStepOnTheWholeBatch() {
        Random r = new Random(5);
        Tensor x = Tensor.randn(r, 8, 3);
        Tensor y = Tensor.randn(r, 8, 1);
        TestGraph whole = graph();
        TestGraph split = graph();
        // fit over one batch of all 8 examples: the reference
        Fit fit = Fit.epochs(1).batchSize(8).optimizer(Sgd.lr(0.1)).verbose(false);
        History h = Trainer.fit(whole, Dataset.of(x, y), fit);

        GradientStep step = GradientStep.of(split);
        Shares shares = new Shares(step, 5, 5);   // shares [0, 5), [5, 5) (empty: adds nothing) and [5, 8)
        History s = step.fit(Dataset.of(x, y), fit, shares);
        assertEquals(8, shares.examples);
        assertClose(whole.kernel.value().toArray(), split.kernel.value().toArray());
        assertClose(whole.bias.value().toArray(), split.bias.value().toArray());
        assertHistoriesClose(h, s);
        assertTrue(h.keys().contains("learning_rate"), h.keys().toString());
    }

    @Test
    void fitWithShardedGradientsIsFitWithItsOptionsAndItsStateOnTheModel() {
        Random r = new Random(6);
        Tensor x = Tensor.randn(r, 23, 3);
        Tensor y = Tensor.randn(r, 23, 1);
        TestGraph whole = graph();
        TestGraph split = graph();
        // clipping, a split, a schedule and momentum (state kept between the two fits), several batches a shuffle
        Fit fit = options(1);
        Fit second = options(2).initialEpoch(1);
        History h1 = Trainer.fit(whole, Dataset.of(x, y), fit);
        History h2 = Trainer.fit(whole, Dataset.of(x, y), second);
        GradientStep step = GradientStep.of(split);
        History s1 = step.fit(Dataset.of(x, y), fit, new Shares(step, 2, 4));
        History s2 = step.fit(Dataset.of(x, y), second, new Shares(step, 1, 3));
        assertHistoriesClose(h1, s1);
        assertHistoriesClose(h2, s2);
        assertTrue(h2.keys().contains("val_loss"), h2.keys().toString());
        assertClose(whole.kernel.value().toArray(), split.kernel.value().toArray());
        assertEquals(whole.trainingState().optimizer().iterations(), split.trainingState().optimizer().iterations());
        assertEquals(2, split.trainingState().epochs());
    }

    private static Fit options(int epochs) {
        return Fit.epochs(epochs).batchSize(5).optimizer(Sgd.lr(Schedule.exponentialDecay(0.05, 3, 0.5)).momentum(0.9))
                .clipNorm(0.5).validationSplit(0.25).seed(3).verbose(false);
    }

    /** Each batch cut at two offsets into three shares, each computed by its own copy of the model. */
    private static final class Shares implements ShardedGradients {
        private final GradientStep driver;
        private final GradientStep worker = GradientStep.of(graph());
        private final int cut1;
        private final int cut2;
        private Dataset train;
        private int[] order;
        long examples;

        Shares(GradientStep driver, int cut1, int cut2) {
            this.driver = driver;
            this.cut1 = cut1;
            this.cut2 = cut2;
        }

        @Override public void begin(Dataset data) {
            this.train = data;
        }

        @Override public void epoch(int epoch, int[] order) {
            this.order = order.clone();
        }

        @Override public ShardSums batch(int from, int to) {
            worker.setWeights(driver.weights());
            int a = Math.min(to, from + cut1);
            int b = Math.min(to, from + cut2);
            ShardSums sums = ShardSums.zero().add(share(from, a)).add(share(a, b)).add(share(b, to));
            examples += sums.examples();
            return sums;
        }

        private ShardSums share(int from, int to) {
            int[] rows = Arrays.copyOfRange(order, from, to);
            return worker.compute(pick(train.x(), rows), pick(train.y(), rows));
        }
    }

    private static Tensor pick(Tensor t, int[] rows) {
        int row = t.size() / t.dim(0);
        int[] shape = t.shape();
        shape[0] = rows.length;
        float[] out = new float[rows.length * row];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(t.buffer(), rows[i] * row, out, i * row, row);
        }
        return Tensor.wrap(out, shape);
    }

    private static void assertHistoriesClose(History expected, History actual) {
        assertEquals(expected.keys(), actual.keys());
        assertEquals(expected.epochs(), actual.epochs());
        for (String key : expected.keys()) {
            for (int e = 0; e < expected.epochs(); e++) {
                double v = expected.get(key).get(e);
                assertEquals(v, actual.get(key).get(e), 1e-6 * Math.max(1, Math.abs(v)), key + " epoch " + e);
            }
        }
    }

    @Test
    void aNonFiniteGradientStopsBeforeTheWeightsChange() {
        TestGraph g = graph();
        GradientStep step = GradientStep.of(g);
        step.start(Sgd.lr(0.1));
        Tensor x = Tensor.of(new float[] {1, 2, Float.MAX_VALUE}, 1, 3);
        ShardSums sums = step.compute(x, Tensor.of(new float[] {1}, 1, 1));
        sums.gradSums[0][0] = Double.NaN;
        float[] before = g.kernel.value().toArray();
        assertThrows(TrainingDivergedException.class, () -> step.apply(sums, 1, 1, 1));
        assertArrayEquals(before, g.kernel.value().toArray());
    }

    @Test
    void aModelThatIsNotAGeneratedGraphIsRefusedByName() {
        TrainableModel wrapper = new TrainableModel() {
            @Override public History fit(Dataset train, Fit options) { return null; }
            @Override public Map<String, Double> evaluate(Dataset data) { return Map.of(); }
            @Override public Tensor predict(Tensor x) { return x; }
            @Override public Gradients gradients(Tensor x, Tensor y) { return null; }
            @Override public void save(Path file) { }
            @Override public void load(Path file) { }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientStep.of(wrapper));
        assertTrue(e.getMessage().contains("not a graph generated by Tapgrad"), e.getMessage());
    }

    private static TestGraph graph() {
        TestGraph g = TestGraph.regression(3, 0.01);
        Random r = new Random(1);
        for (float[] buf : new float[][] {g.kernel.value().buffer(), g.bias.value().buffer()}) {
            for (int i = 0; i < buf.length; i++) {
                buf[i] = (float) r.nextGaussian();
            }
        }
        return g;
    }

    private static Tensor rows(Tensor t, int from, int to) {
        int row = t.size() / t.dim(0);
        int[] shape = t.shape();
        shape[0] = to - from;
        return Tensor.of(Arrays.copyOfRange(t.buffer(), from * row, to * row), shape);
    }

    private static void assertClose(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }
}
