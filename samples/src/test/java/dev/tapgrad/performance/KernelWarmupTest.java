package dev.tapgrad.performance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 3: the kernel warm-up a graph starts when it is built (internal.KernelWarmup) runs
 * on copies of the layers and cannot change a result: a model trained while another graph's
 * warm-up of the same layer configurations runs beside it, and the graph that waited for its own,
 * predict exactly what a model trained with warm-ups off predicts.
 */
class KernelWarmupTest {
    private static final String PROPERTY = "tapgrad.warmup";

    @Test
    void trainingGivesTheSameWeightsWithAndWithoutTheWarmup() {
        Dataset data = data();
        String before = System.getProperty(PROPERTY);
        try {
            System.setProperty(PROPERTY, "false");
            WarmupNetGraph reference = new WarmupNetGraph(3);
            train(reference, data);

            System.setProperty(PROPERTY, "true");
            WarmupNetGraph warmed = new WarmupNetGraph(3); // starts the warm-up where the vector kernels run
            System.setProperty(PROPERTY, "false");
            WarmupNetGraph beside = new WarmupNetGraph(3);
            train(beside, data); // while the warm-up thread runs the same kernels on its copies
            train(warmed, data); // waits for the warm-up first

            // The same weights give the same predictions bit for bit; any other weights almost surely do not.
            Tensor x = data.x();
            float[] want = reference.predict(x).toArray();
            assertArrayEquals(want, beside.predict(x).toArray(), "trained beside a warm-up");
            assertArrayEquals(want, warmed.predict(x).toArray(), "trained after a warm-up");
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    private static void train(TrainableModel model, Dataset data) {
        model.fit(data, Fit.epochs(2).batchSize(16).verbose(false).seed(5));
    }

    private static Dataset data() {
        Random random = new Random(11);
        int n = 64;
        Tensor x = Tensor.randn(random, n, 10, 10, 1);
        Tensor y = Tensor.zeros(n, 7);
        for (int i = 0; i < n; i++) {
            y.set(1f, i, random.nextInt(7));
        }
        return Dataset.of(x, y);
    }
}
