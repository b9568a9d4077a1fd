package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.TapgradDataException;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.samples.activationloss.ActivationLossSample;
import dev.tapgrad.samples.activationloss.RegularizedClassifierGraph;
import dev.tapgrad.samples.helperloss.HelperLossSample;
import dev.tapgrad.samples.weightloss.WeightLossSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLP cases (4, 5, 6) end to end through the CLI, as {@link MainTest} runs sparse-cnn. */
class MlpSamplesTest {
    private static final Set<String> SUMMARY_KEYS = Set.of("sample", "epochs", "batch_size", "seed",
            "train_examples", "test_examples", "test_accuracy", "test_loss", "loss_terms", "train_seconds",
            "checkpoint", "checkpoint_reloaded");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // sample,        main term,                aux term, aux weight
        "activation-loss, loss,                     ,         0",
        "weight-loss,     categorical_crossentropy, l1,       1e-3",
        "helper-loss,     categorical_crossentropy, reg,      0.1",
    })
    void trainsEvaluatesSavesReloadsAndEndsWithJson(String sample, String mainTerm, String auxTerm, double auxWeight,
            @TempDir Path dir) {
        Path checkpoint = dir.resolve(sample + ".safetensors");
        MainTest.Run r = MainTest.run(sample, "--epochs", "1", "--limit", "2000", "--save", checkpoint.toString());
        assertEquals(0, r.code(), r.err());

        JsonObject json = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
        assertEquals(SUMMARY_KEYS, json.keySet());
        assertEquals(sample, json.get("sample").getAsString());
        assertEquals(1, json.get("epochs").getAsInt());
        assertEquals(32, json.get("batch_size").getAsInt());
        assertEquals(42, json.get("seed").getAsLong());
        assertEquals(2000, json.get("train_examples").getAsInt());
        assertEquals(2000, json.get("test_examples").getAsInt());
        JsonObject terms = json.getAsJsonObject("loss_terms");
        assertEquals(auxTerm == null ? Set.of(mainTerm) : Set.of(mainTerm, auxTerm), terms.keySet());
        for (String term : terms.keySet()) {
            assertTrue(terms.get(term).getAsDouble() > 0, term + " should be positive: " + terms);
        }
        // The total is main + weight·aux (terms are reported unweighted); the summary rounds each
        // figure to 4 significant digits, hence the tolerance.
        double total = terms.get(mainTerm).getAsDouble()
                + (auxTerm == null ? 0 : auxWeight * terms.get(auxTerm).getAsDouble());
        assertEquals(json.get("test_loss").getAsDouble(), total, 5e-4, terms.toString());
        assertTrue(json.get("checkpoint_reloaded").getAsBoolean());
        assertEquals(checkpoint.toString(), json.get("checkpoint").getAsString());
        assertTrue(Files.isRegularFile(checkpoint), "no checkpoint at " + checkpoint);
        // Chance is 0.1; one epoch on 2000 images gets each of these MLPs to about 0.69.
        double accuracy = json.get("test_accuracy").getAsDouble();
        assertTrue(accuracy >= 0.5, sample + ": test accuracy " + accuracy + " after one epoch on 2000 images");
        assertTrue(json.get("test_loss").getAsDouble() > 0);
        assertTrue(r.err().contains("on 2000 images"), "progress goes to standard error: " + r.err());
    }

    @Test
    void helpListsTheNewCasesWithTheirDefaults() {
        MainTest.Run top = MainTest.run("--help");
        assertEquals(0, top.code());
        for (String sample : List.of("activation-loss", "weight-loss", "helper-loss")) {
            assertTrue(top.out().contains(sample), sample + " missing from\n" + top.out());
        }
        record Case(String name, int epochs) {}
        for (Case c : List.of(new Case("activation-loss", ActivationLossSample.DEFAULT_EPOCHS),
                new Case("weight-loss", WeightLossSample.DEFAULT_EPOCHS),
                new Case("helper-loss", HelperLossSample.DEFAULT_EPOCHS))) {
            MainTest.Run r = MainTest.run(c.name(), "--help");
            assertEquals(0, r.code());
            for (String option : List.of("--epochs", "--batch-size", "--seed", "--lr", "--data", "--limit", "--save")) {
                assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
            }
            assertTrue(r.out().contains("(default: " + c.epochs() + ")"), r.out());
            assertTrue(r.out().contains(c.name() + ".safetensors"), r.out());
        }
    }

    @Test
    void activationLossRejectsLabelsCutToFiveColumns() {
        // The seed document's bug: one-hot labels cut to 5 columns for a 10-class problem.
        Tensor x = Tensor.zeros(4, 784);
        Tensor y = Dataset.oneHot(new int[] {0, 1, 2, 3}, 5);
        RegularizedClassifierGraph model = new RegularizedClassifierGraph(1);
        TapgradDataException e = assertThrows(TapgradDataException.class,
                () -> model.fit(Dataset.of(x, y), Fit.epochs(1).verbose(false)));
        assertTrue(e.getMessage().contains("labels have 5 columns") && e.getMessage().contains("10 units"),
                e.getMessage());
    }
}
