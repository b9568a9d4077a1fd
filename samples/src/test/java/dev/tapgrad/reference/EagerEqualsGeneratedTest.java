package dev.tapgrad.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every reference model, the loss methods as the user wrote them (run eagerly by
 * {@code evaluate}) give the same values as the generated, differentiated code (run by
 * {@code gradients}), term by term, on the PyTorch fixture weights and batch.
 */
class EagerEqualsGeneratedTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TinyCnn", "StridedCnn", "TwoDense", "PriorLstm", "DiverseMlp", "RegularizedClassifier",
            "WeightLoss", "HelperLoss", "ResidualDag"})
    void eachTermMatches(String name) throws Exception {
        Path weights = resource(name, "weights.safetensors");
        Map<String, Tensor> batch = Safetensors.read(resource(name, "batch.safetensors"));
        Tensor x = batch.get("x");
        Tensor y = batch.get("y");
        Map<String, Double> eager;
        Gradients generated;
        switch (name) {
            case "TinyCnn" -> { var m = new TinyCnnGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "StridedCnn" -> { var m = new StridedCnnGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "TwoDense" -> { var m = new TwoDenseGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "PriorLstm" -> { var m = new PriorLstmGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "DiverseMlp" -> { var m = new DiverseMlpGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "RegularizedClassifier" -> { var m = new RegularizedClassifierGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "WeightLoss" -> { var m = new WeightLossGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "HelperLoss" -> { var m = new HelperLossGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            case "ResidualDag" -> { var m = new ResidualDagGraph(0); m.load(weights); eager = eval(m::evaluate, x, y); generated = m.gradients(x, y); }
            default -> throw new IllegalArgumentException(name);
        }
        for (Map.Entry<String, Double> term : generated.terms().entrySet()) {
            double g = term.getValue();
            assertEquals(g, eager.get(term.getKey()), 1e-6 * Math.max(1, Math.abs(g)), name + " term " + term.getKey());
        }
        assertEquals(generated.loss(), eager.get("loss"), 1e-6 * Math.max(1, Math.abs(generated.loss())), name + " total");
    }

    private static Map<String, Double> eval(Function<Dataset, Map<String, Double>> evaluate, Tensor x, Tensor y) {
        return evaluate.apply(Dataset.of(x, y));
    }

    private Path resource(String model, String file) throws Exception {
        Path target = dir.resolve(model + "-" + file);
        try (InputStream in = getClass().getResourceAsStream("/dev/tapgrad/reference/" + model + "/" + file)) {
            Files.copy(in, target);
        }
        return target;
    }
}
