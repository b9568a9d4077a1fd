package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tapgrad.samples.diversemlp.DiverseMlpSample;
import dev.tapgrad.samples.priorlstm.PriorLstmSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The regression cases on generated data (2 and 3) end to end through the CLI, with settings
 * small enough for a few seconds each; {@link MlpSamplesTest} does the same for the classifiers.
 */
class SyntheticSamplesTest {
    private static final Set<String> SUMMARY_KEYS = Set.of("sample", "epochs", "batch_size", "seed",
            "train_examples", "test_examples", "test_mse", "baseline_mse", "test_loss", "loss_terms",
            "train_seconds", "checkpoint", "checkpoint_reloaded");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // sample    | aux term  | aux weight | test examples | options
        // The LSTM runs 100 steps per sequence, so its run is the smallest that reliably beats the
        // baseline: 2 epochs on 320 sequences at a high learning rate (test MSE ~0.03 against 0.051).
        "prior-lstm  | prior     | 0.1        | 500           | --epochs 2 --limit 320 --batch-size 16 --lr 1e-2",
        "diverse-mlp | diversity | 0.1        | 1000          | --epochs 5 --limit 2000",
    })
    void trainsBeatsTheBaselineSavesReloadsAndEndsWithJson(String sample, String auxTerm, double auxWeight,
            int testExamples, String options, @TempDir Path dir) {
        Path checkpoint = dir.resolve(sample + ".safetensors");
        List<String> args = new ArrayList<>(List.of(sample, "--save", checkpoint.toString()));
        args.addAll(List.of(options.split(" ")));
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());

        JsonObject json = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
        assertEquals(SUMMARY_KEYS, json.keySet());
        assertEquals(sample, json.get("sample").getAsString());
        assertEquals(42, json.get("seed").getAsLong());
        int limit = Integer.parseInt(options.replaceAll(".*--limit (\\d+).*", "$1"));
        assertEquals(limit, json.get("train_examples").getAsInt());
        assertEquals(testExamples, json.get("test_examples").getAsInt());
        JsonObject terms = json.getAsJsonObject("loss_terms");
        assertEquals(List.of("mse", auxTerm), List.copyOf(terms.keySet()), "term names, main loss first");
        for (String term : terms.keySet()) {
            assertTrue(terms.get(term).getAsDouble() > 0, term + " should be positive: " + terms);
        }
        double mse = json.get("test_mse").getAsDouble();
        assertEquals(terms.get("mse").getAsDouble(), mse, 0.0, "test_mse is the unweighted mse term");
        // The total is mse + weight·aux; the summary rounds each figure to 4 significant digits.
        assertEquals(json.get("test_loss").getAsDouble(), mse + auxWeight * terms.get(auxTerm).getAsDouble(), 5e-4,
                terms.toString());
        double baseline = json.get("baseline_mse").getAsDouble();
        assertTrue(mse < baseline, sample + ": test MSE " + mse + " is not below the baseline's " + baseline);
        assertTrue(json.get("checkpoint_reloaded").getAsBoolean());
        assertTrue(Files.isRegularFile(checkpoint), "no checkpoint at " + checkpoint);
        assertTrue(r.err().contains("on " + limit + " generated examples"), "progress goes to standard error: " + r.err());
    }

    @Test
    void baselinesAreTheNaivePredictorsOnFixedData(@TempDir Path dir) {
        // The data do not depend on --seed, so the baseline is the same figure for every seed, and
        // it is the documented scale: about 1 for the standardised Friedman target.
        JsonObject a = quietRun(dir, "diverse-mlp", "--epochs", "1", "--limit", "500", "--seed", "1");
        JsonObject b = quietRun(dir, "diverse-mlp", "--epochs", "1", "--limit", "500", "--seed", "2");
        assertEquals(a.get("baseline_mse").getAsDouble(), b.get("baseline_mse").getAsDouble(), 0.0);
        double baseline = a.get("baseline_mse").getAsDouble();
        assertTrue(baseline > 0.8 && baseline < 1.2, "predicting the mean of a standardised target: " + baseline);
    }

    @Test
    void dataOptionIsIgnoredWithAWarning(@TempDir Path dir) {
        Path nowhere = dir.resolve("nowhere");
        MainTest.Run r = MainTest.run("diverse-mlp", "--quiet", "--epochs", "1", "--limit", "100",
                "--data", nowhere.toString(), "--save", dir.resolve("d.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("diverse-mlp generates its own data; --data " + nowhere + " is ignored"), r.err());
        assertEquals(1, r.out().lines().count(), "only the JSON line with --quiet: " + r.out());
    }

    @Test
    void helpListsTheCasesWithTheirDefaultsAndSaysDataDoesNotApply() {
        MainTest.Run top = MainTest.run("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("prior-lstm") && top.out().contains("diverse-mlp"), top.out());
        record Case(String name, int epochs, int trainSize) {}
        for (Case c : List.of(new Case("prior-lstm", PriorLstmSample.DEFAULT_EPOCHS, PriorLstmSample.TRAIN_SIZE),
                new Case("diverse-mlp", DiverseMlpSample.DEFAULT_EPOCHS, DiverseMlpSample.TRAIN_SIZE))) {
            MainTest.Run r = MainTest.run(c.name(), "--help");
            assertEquals(0, r.code());
            for (String option : List.of("--epochs", "--batch-size", "--seed", "--lr", "--data", "--limit", "--save")) {
                assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
            }
            String flat = r.out().replaceAll("\\s+", " ");
            assertTrue(flat.contains("(default: " + c.epochs() + ")"), r.out());
            assertTrue(flat.contains(c.name() + ".safetensors"), r.out());
            assertTrue(flat.contains("--data does not apply and is ignored"), r.out());
            assertTrue(flat.contains(c.trainSize() + " training"), r.out());
        }
    }

    private static JsonObject quietRun(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--quiet", "--save", dir.resolve("q.safetensors").toString()));
        MainTest.Run r = MainTest.run(all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().isBlank());
        return JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    }
}
