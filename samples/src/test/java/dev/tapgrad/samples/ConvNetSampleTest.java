package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tapgrad.samples.convnet.ConvNetSample;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code convnet} sample (issue 12 item 6) end to end through the CLI with its defaults, which
 * are Keras's mnist_convnet recipe: 3 epochs, batch 128, Adam, on the bundled 10,000/2,000 subset.
 * The issue's bar is 0.80 test accuracy (PyTorch, same recipe, two seeds: 0.812 and 0.814).
 */
class ConvNetSampleTest {
    @Test
    void kerasRecipeReachesTheIssuesAccuracy(@TempDir Path dir) {
        Path checkpoint = dir.resolve("convnet.safetensors");
        MainTest.Run r = MainTest.run("convnet", "--quiet", "--save", checkpoint.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
        assertEquals("convnet", json.get("sample").getAsString());
        assertEquals(ConvNetSample.DEFAULT_EPOCHS, json.get("epochs").getAsInt());
        assertEquals(128, json.get("batch_size").getAsInt());
        assertEquals(10000, json.get("train_examples").getAsInt());
        assertEquals(2000, json.get("test_examples").getAsInt());
        double accuracy = json.get("test_accuracy").getAsDouble();
        assertTrue(accuracy >= 0.80, "test accuracy " + accuracy + " after Keras's recipe; the issue asks for 0.80");
        // evaluate() runs inference (no dropout), so a reloaded model predicts exactly the same
        assertTrue(json.get("checkpoint_reloaded").getAsBoolean());
    }

    @Test
    void helpShowsTheRecipesDefaults() {
        MainTest.Run top = MainTest.run("--help");
        assertTrue(top.out().contains("convnet"), top.out());
        MainTest.Run r = MainTest.run("convnet", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("(default: 3)"), r.out());
        assertTrue(r.out().contains("(default: 128)"), r.out());
        MainTest.Run other = MainTest.run("sparse-cnn", "--help");
        assertTrue(other.out().contains("(default: 32)"), "the other cases keep batch 32:\n" + other.out());
    }
}
