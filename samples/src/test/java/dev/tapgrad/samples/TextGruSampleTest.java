package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tapgrad.samples.textgru.TextGruSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code text-gru} sample end to end through the CLI with a small run: Embedding → Gru →
 * Dense(sigmoid) with binary crossentropy learns the generated first-marker task far above
 * guessing (0.5) and, with 5% of the labels flipped, below a perfect score, which the binary
 * accuracy must therefore report honestly.
 */
class TextGruSampleTest {
    private static final Set<String> SUMMARY_KEYS = Set.of("sample", "epochs", "batch_size", "seed",
            "train_examples", "test_examples", "test_accuracy", "test_loss", "loss_terms",
            "train_seconds", "checkpoint", "checkpoint_reloaded");

    @Test
    void learnsTheTaskSavesReloadsAndEndsWithJson(@TempDir Path dir) {
        Path checkpoint = dir.resolve("text-gru.safetensors");
        MainTest.Run r = MainTest.run("text-gru", "--save", checkpoint.toString(), "--epochs", "4", "--limit", "2000",
                "--lr", "5e-3");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
        assertEquals(SUMMARY_KEYS, json.keySet());
        assertEquals("text-gru", json.get("sample").getAsString());
        assertEquals(2000, json.get("train_examples").getAsInt());
        assertEquals(TextGruSample.TEST_SIZE, json.get("test_examples").getAsInt());
        assertEquals(List.of("binary_crossentropy"), List.copyOf(json.getAsJsonObject("loss_terms").keySet()));
        double accuracy = json.get("test_accuracy").getAsDouble();
        assertTrue(accuracy > 0.9, "the GRU should learn the first-marker task: test accuracy " + accuracy);
        assertTrue(accuracy < 0.99, "5% of the labels are flipped, so a near-perfect accuracy is a wrong metric: " + accuracy);
        assertTrue(json.get("checkpoint_reloaded").getAsBoolean());
        assertTrue(Files.isRegularFile(checkpoint), "no checkpoint at " + checkpoint);
        assertTrue(r.err().contains("on 2000 generated sequences"), "progress goes to standard error: " + r.err());
    }

    @Test
    void anUntrainedRunIsNearGuessing(@TempDir Path dir) {
        // One epoch on 64 sequences barely moves the weights: the accuracy is near the balanced 0.5.
        MainTest.Run r = MainTest.run("text-gru", "--quiet", "--save", dir.resolve("t.safetensors").toString(),
                "--epochs", "1", "--limit", "64");
        assertEquals(0, r.code(), r.err());
        double accuracy = JsonParser.parseString(r.lastOutLine()).getAsJsonObject().get("test_accuracy").getAsDouble();
        assertTrue(accuracy > 0.4 && accuracy < 0.65, "near guessing: " + accuracy);
    }
}
