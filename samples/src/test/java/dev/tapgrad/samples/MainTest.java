package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    /** What one in-process run printed and returned. */
    record Run(int code, String out, String err) {
        String lastOutLine() {
            List<String> lines = out.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void sparseCnnTrainsEvaluatesSavesReloadsAndEndsWithJson(@TempDir Path dir) {
        Path checkpoint = dir.resolve("model.safetensors");
        Run r = run("sparse-cnn", "--epochs", "1", "--limit", "2000", "--save", checkpoint.toString());
        assertEquals(0, r.code(), r.err());

        JsonObject json = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
        assertEquals(Set.of("sample", "epochs", "batch_size", "seed", "train_examples", "test_examples",
                "test_accuracy", "test_loss", "loss_terms", "train_seconds", "checkpoint", "checkpoint_reloaded"),
                json.keySet());
        assertEquals("sparse-cnn", json.get("sample").getAsString());
        assertEquals(1, json.get("epochs").getAsInt());
        assertEquals(32, json.get("batch_size").getAsInt());
        assertEquals(42, json.get("seed").getAsLong());
        assertEquals(2000, json.get("train_examples").getAsInt());
        assertEquals(2000, json.get("test_examples").getAsInt());
        assertEquals(Set.of("categorical_crossentropy", "sparsity"), json.getAsJsonObject("loss_terms").keySet());
        assertTrue(json.get("checkpoint_reloaded").getAsBoolean());
        assertEquals(checkpoint.toString(), json.get("checkpoint").getAsString());
        assertTrue(Files.isRegularFile(checkpoint), "no checkpoint at " + checkpoint);
        double accuracy = json.get("test_accuracy").getAsDouble();
        assertTrue(accuracy >= 0.5, "test accuracy " + accuracy + " after one epoch on 2000 images");
        assertTrue(json.get("test_loss").getAsDouble() > 0);
    }

    @Test
    void quietPrintsOnlyTheJsonLine(@TempDir Path dir) {
        Run r = run("sparse-cnn", "--quiet", "--epochs", "1", "--limit", "64", "--batch-size", "64",
                "--save", dir.resolve("q.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertEquals(64, JsonParser.parseString(r.lastOutLine()).getAsJsonObject().get("train_examples").getAsInt());
    }

    /**
     * --summary prints the table before training (even with --quiet: it was asked for), --plot
     * draws the PNG; the JSON line stays last. SparseCnn: conv1 3·3·1·32 + 32 = 320, out
     * 21632·10 + 10 = 216,330.
     */
    @Test
    void summaryAndPlot(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        Run r = run("sparse-cnn", "--quiet", "--summary", "--plot", png.toString(), "--epochs", "2", "--limit", "64",
                "--batch-size", "64", "--save", dir.resolve("q.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Model: \"SparseCnn\"\n"), r.out());
        assertTrue(r.out().contains("\n conv1 (Conv2D)   (None, 26, 26, 32)       320   sparsity (0.01)\n"), r.out());
        assertTrue(r.out().contains("\nTotal params: 216,650\n"), r.out());
        assertEquals(2, JsonParser.parseString(r.lastOutLine()).getAsJsonObject().get("epochs").getAsInt());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(3 * 520, image.getWidth(), "loss, categorical_crossentropy, sparsity, accuracy: three columns");
    }

    @Test
    void plotIntoAMissingFolderIsAOneLineUsageError(@TempDir Path dir) {
        Path png = dir.resolve("nowhere/curves.png");
        Run r = run("sparse-cnn", "--plot", png.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--plot: folder " + png.getParent() + " does not exist"), r.err());
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("sparse-cnn", "--help");
        assertEquals(0, r.code());
        for (String option : List.of("--epochs", "--batch-size", "--seed", "--lr", "--data", "--limit", "--save",
                "--quiet", "--summary", "--plot", "--help", "--version")) {
            assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
        }
        // Case-specific defaults reach the help text.
        assertTrue(r.out().contains("(default: " + dev.tapgrad.samples.sparsecnn.SparseCnnSample.DEFAULT_EPOCHS + ")"), r.out());
        assertTrue(r.out().contains("sparse-cnn.safetensors"), r.out());
    }

    @Test
    void topLevelHelpListsTheCases() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("sparse-cnn"), r.out());
    }

    @Test
    void zeroEpochsIsAOneLineUsageError() {
        Run r = run("sparse-cnn", "--epochs", "0");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--epochs must be at least 1, got 0"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingDataFolderIsAOneLineUsageError(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        Run r = run("sparse-cnn", "--data", missing.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(missing.toString()) && r.err().contains("does not exist"), r.err());
    }

    @Test
    void dataFolderWithoutTheFilesNamesThem(@TempDir Path dir) {
        Run r = run("sparse-cnn", "--data", dir.toString(), "--save", dir.resolve("x.safetensors").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("t10k-labels-idx1-ubyte"), r.err());
    }

    @Test
    void unknownOptionAndMissingCaseAreUsageErrors() {
        Run typo = run("sparse-cnn", "--epoch", "3");
        assertEquals(2, typo.code());
        assertEquals(1, typo.err().lines().count(), typo.err());
        assertTrue(typo.err().contains("--epochs"), "suggests the right name: " + typo.err());

        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("sparse-cnn"), none.err());
    }
}
