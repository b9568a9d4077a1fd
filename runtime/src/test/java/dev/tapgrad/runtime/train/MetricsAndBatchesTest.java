package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsAndBatchesTest {
    @Test
    void accuracyComparesArgMaxPerRowWithFirstIndexOnTies() {
        Tensor y = Tensor.of(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0}, 4, 3);
        Tensor p = Tensor.of(new float[] {.1f, .8f, .1f, .2f, .7f, .1f, .3f, .3f, .4f, .5f, .5f, 0}, 4, 3);
        // rows: right, wrong, right, tie → index 0 ≠ 1: wrong
        assertEquals(2, Metrics.correct(y, p));
        assertEquals(4, Metrics.rows(p));
        // sequences: every time step is a row
        assertEquals(4, Metrics.correct(y.reshape(2, 2, 3), y.reshape(2, 2, 3)));
    }

    @Test
    void accuracyResolvesAsKerasDoes() {
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolve(Metric.ACCURACY, LossKind.CATEGORICAL_CROSSENTROPY, new int[] {1}));
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolve(Metric.ACCURACY, LossKind.BINARY_CROSSENTROPY, new int[] {4}));
        assertEquals(Metric.SPARSE_CATEGORICAL_ACCURACY,
                Metrics.resolve(Metric.ACCURACY, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, new int[] {10}));
        assertEquals(Metric.CATEGORICAL_ACCURACY, Metrics.resolve(Metric.ACCURACY, LossKind.CATEGORICAL_CROSSENTROPY, new int[] {10}));
        assertEquals(Metric.CATEGORICAL_ACCURACY, Metrics.resolve(Metric.ACCURACY, LossKind.NONE, new int[] {5, 10}));
        assertEquals(Metric.MAE, Metrics.resolve(Metric.MAE, LossKind.BINARY_CROSSENTROPY, new int[] {1}));
    }

    @Test
    void binaryAccuracyThresholdsEachOutputAndAveragesOverTheLastAxis() {
        Tensor y = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        Tensor p = Tensor.of(new float[] {.9f, .6f, .5f, .51f}, 2, 2);
        // row 0: 1 of 2 right; row 1: .5 is not above .5 → 0 right, .51 → 1 right: 2 of 2
        assertEquals(1.5, Metrics.sum(Metric.BINARY_ACCURACY, y, p, false), 1e-12);
        assertEquals(1.0, Metrics.sum(Metric.BINARY_ACCURACY, y, p, true), 1e-12, "on logits every value is above 0: one right per row");
        Tensor soft = Tensor.of(new float[] {0.9f}, 1, 1);
        assertEquals(0, Metrics.sum(Metric.BINARY_ACCURACY, soft, soft, false), "a label of 0.9 never matches, as in Keras");
    }

    @Test
    void maeAndMseAreRowMeansSummedOverRows() {
        Tensor y = Tensor.of(new float[] {0, 0, 1, 1}, 2, 2);
        Tensor p = Tensor.of(new float[] {1, -3, 1, 0}, 2, 2);
        assertEquals(2 + 0.5, Metrics.sum(Metric.MAE, y, p, false), 1e-12);
        assertEquals(5 + 0.5, Metrics.sum(Metric.MSE, y, p, false), 1e-12);
        assertEquals(2, Metrics.rows(p));
    }

    @Test
    void sparseAccuracyComparesArgMaxWithTheClassId() {
        Tensor p = Tensor.of(new float[] {.1f, .8f, .1f, .6f, .3f, .1f, .2f, .2f, .6f}, 3, 3);
        assertEquals(2, Metrics.sum(Metric.SPARSE_CATEGORICAL_ACCURACY, Tensor.of(new float[] {1, 1, 2}, 3), p, false));
        assertEquals(2, Metrics.sum(Metric.SPARSE_CATEGORICAL_ACCURACY, Tensor.of(new float[] {1, 1, 2}, 3, 1), p, false));
    }

    @Test
    void batchesGatherTheShuffledRowsWithALastSmallerPair() {
        Tensor x = Tensor.zeros(10, 2);
        Tensor y = Tensor.zeros(10, 1);
        for (int i = 0; i < 10; i++) {
            x.set(i, i, 0);
            x.set(-i, i, 1);
            y.set(100 + i, i, 0);
        }
        Batches b = new Batches(x, y, 4);
        assertEquals(3, b.count());
        assertSame(b.x(0), b.x(1));
        assertArrayEquals(new int[] {2, 2}, b.x(2).shape());
        b.shuffle(new Random(3));
        int[] seen = new int[10];
        for (int k = 0; k < b.count(); k++) {
            b.gather(k);
            for (int i = 0; i < b.size(k); i++) {
                int row = (int) b.x(k).get(i, 0);
                assertEquals(-row, b.x(k).get(i, 1));
                assertEquals(100 + row, b.y(k).get(i, 0));
                seen[row]++;
            }
        }
        int[] ones = new int[10];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, seen);
        b.gather(0);
        float first = b.x(0).get(0, 0);
        b.shuffle(new Random(3));
        b.gather(0);
        assertEquals(first, b.x(0).get(0, 0), "the same Random gives the same order");
    }

    @Test
    void aBatchLargerThanTheDataIsOneBatch() {
        Batches b = new Batches(Tensor.zeros(3, 1), Tensor.zeros(3, 1), 32);
        assertEquals(1, b.count());
        assertEquals(3, b.size(0));
        assertArrayEquals(new int[] {3, 1}, b.x(0).shape());
    }
}
