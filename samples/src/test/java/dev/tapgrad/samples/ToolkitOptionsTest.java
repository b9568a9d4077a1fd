package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples' training-toolkit options reach fit: schedule, early stopping, CSV log and backup folder. */
class ToolkitOptionsTest {
    @Test
    void cosineScheduleCsvAndBackupThatResumes(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("log.csv");
        Path backup = dir.resolve("backup");
        String[] args = {"sparse-cnn", "--quiet", "--epochs", "3", "--limit", "128", "--batch-size", "64",
            "--schedule", "cosine", "--lr", "0.002", "--early-stopping", "5", "--csv", csv.toString(),
            "--backup", backup.toString(), "--save", dir.resolve("m.safetensors").toString()};
        MainTest.Run first = MainTest.run(args);
        assertEquals(0, first.code(), first.err());

        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), "a header and one row per epoch: " + rows);
        List<String> header = Arrays.asList(rows.get(0).split(","));
        int lrColumn = header.indexOf("learning_rate");
        assertTrue(lrColumn >= 0, "learning_rate column in " + header);
        assertTrue(header.contains("val_sparsity") && header.contains("categorical_crossentropy"), header.toString());
        // 128 examples in batches of 64: 2 steps an epoch, 6 in all; each epoch reports the rate of
        // its last step, Keras's cosine decay at that step's index (0-based): lr·½(1 + cos(π·i/6)).
        for (int epoch = 1; epoch <= 3; epoch++) {
            int lastStep = 2 * epoch - 1;
            double expected = 0.002 * 0.5 * (1 + Math.cos(Math.PI * lastStep / 6));
            double logged = Double.parseDouble(rows.get(epoch).split(",")[lrColumn]);
            assertEquals(expected, logged, 1e-9 + 1e-6 * expected, "learning rate of epoch " + epoch);
        }
        assertTrue(Files.isRegularFile(backup.resolve("backup.json")), "the backup's manifest");

        // The same command again resumes from the complete backup: nothing left to train, and the
        // weights (so the test loss) are the first run's, bit for bit.
        MainTest.Run again = MainTest.run(args);
        assertEquals(0, again.code(), again.err());
        JsonObject a = JsonParser.parseString(first.lastOutLine()).getAsJsonObject();
        JsonObject b = JsonParser.parseString(again.lastOutLine()).getAsJsonObject();
        assertEquals(a.get("test_loss"), b.get("test_loss"));
        assertEquals(a.get("test_accuracy"), b.get("test_accuracy"));
    }

    @Test
    void negativePatienceIsAOneLineUsageError() {
        MainTest.Run r = MainTest.run("sparse-cnn", "--early-stopping", "-1");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--early-stopping must be 0 or more epochs, got -1"), r.err());
    }

    @Test
    void unknownScheduleNamesTheChoices() {
        MainTest.Run r = MainTest.run("sparse-cnn", "--schedule", "linear");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("constant, cosine"), r.err());
    }
}
