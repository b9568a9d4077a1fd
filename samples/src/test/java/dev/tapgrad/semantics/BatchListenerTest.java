package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code Fit.onBatchEnd}: called once per batch, in order, with the batch's loss terms. */
class BatchListenerTest {
    @Test
    void theListenerSeesEveryBatchInOrderWithTheTermsTheHistoryAverages() {
        Random random = new Random(3);
        int n = 12;
        Tensor x = Tensor.randn(random, n, 6, 6, 2);
        Tensor y = Tensor.zeros(n, 4);
        for (int i = 0; i < n; i++) {
            y.set(1f, i, i % 4);
        }
        List<String> calls = new ArrayList<>();
        double[] sums = new double[2];
        History h = new PlainNetGraph(5).fit(Dataset.of(x, y), Fit.epochs(2).batchSize(4).verbose(false)
                .onBatchEnd((epoch, batch, terms) -> {
                    calls.add(epoch + "/" + batch);
                    sums[epoch - 1] += terms[0];
                }));
        assertEquals(List.of("1/1", "1/2", "1/3", "2/1", "2/2", "2/3"), calls);
        // Equal batches: the epoch's loss is the plain mean of the three batches' terms.
        assertEquals(h.get("loss").get(0), sums[0] / 3, 1e-6);
        assertEquals(h.get("loss").get(1), sums[1] / 3, 1e-6);
    }
}
