package dev.tapgrad.performance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.train.Callback;
import dev.tapgrad.runtime.train.TrainingControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 9 and item 3 on a generated graph with random draws and layer state (NormDropNet:
 * Dropout masks, BatchNorm moving statistics): two fits of 2 epochs end where one fit of 4 does,
 * and a backup of 2 epochs resumed by a fresh model ends there too, bit for bit (saved weights
 * compared byte for byte).
 */
class ContinuedFitTest {
    @TempDir
    Path tmp;

    private static Dataset data() {
        Random r = new Random(4);
        int n = 96;
        Tensor x = Tensor.randn(r, n, 8, 8, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(4);
        }
        return Dataset.of(x, Dataset.oneHot(labels, 4));
    }

    private byte[] saved(TrainableModel model, String name) throws Exception {
        Path file = tmp.resolve(name);
        model.save(file);
        return Files.readAllBytes(file);
    }

    @Test
    void twoFitsOfTwoAndAResumedBackupEndAtTheWeightsOfOneFitOfFour() throws Exception {
        Fit four = Fit.epochs(4).batchSize(16).verbose(false).seed(5);
        TrainableModel once = new NormDropNetGraph(1);
        once.fit(data(), four);
        byte[] expected = saved(once, "once.safetensors");

        TrainableModel twice = new NormDropNetGraph(1);
        twice.fit(data(), Fit.epochs(2).batchSize(16).verbose(false).seed(5));
        twice.fit(data(), Fit.epochs(2).batchSize(16).verbose(false).seed(5));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(saved(twice, "twice.safetensors")));

        // a run that crashes in epoch 2 (after its record, before its backup) leaves the backup of epoch 1;
        // a fresh model resumes from it
        Path dir = tmp.resolve("backup");
        Callback crash = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
                if (epoch == 2) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> new NormDropNetGraph(1).fit(data(), four.backupTo(dir).callbacks(crash)));
        TrainableModel resumed = new NormDropNetGraph(1);
        History h = resumed.fit(data(), four.backupTo(dir));
        assertEquals(4, h.epochs());
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(saved(resumed, "resumed.safetensors")));
    }
}
