package dev.tapgrad.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every reference model, the loss methods as the user wrote them (run eagerly by
 * {@code evaluate}) give the same values as the generated, differentiated code (run by
 * {@code gradients}), term by term, on the PyTorch fixture weights and batch.
 */
class EagerEqualsGeneratedTest {
    @TempDir Path dir;

    /** One row per reference model: its fixture directory and its generated graph. */
    record Case(String name, LongFunction<TrainableModel> graph) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("TinyCnn", TinyCnnGraph::new),
                new Case("StridedCnn", StridedCnnGraph::new),
                new Case("TwoDense", TwoDenseGraph::new),
                new Case("PriorLstm", PriorLstmGraph::new),
                new Case("DiverseMlp", DiverseMlpGraph::new),
                new Case("RegularizedClassifier", RegularizedClassifierGraph::new),
                new Case("WeightLoss", WeightLossGraph::new),
                new Case("HelperLoss", HelperLossGraph::new),
                new Case("ResidualDag", ResidualDagGraph::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachTermMatches(Case c) throws Exception {
        String name = c.name();
        Map<String, Tensor> batch = Safetensors.read(resource(name, "batch.safetensors"));
        Tensor x = batch.get("x");
        Tensor y = batch.get("y");
        TrainableModel m = c.graph().apply(0);
        m.load(resource(name, "weights.safetensors"));
        Map<String, Double> eager = m.evaluate(Dataset.of(x, y));
        Gradients generated = m.gradients(x, y);

        assertTrue(eager.keySet().containsAll(generated.terms().keySet()),
                name + ": evaluate reports every term of gradients: " + eager.keySet() + " vs " + generated.terms().keySet());
        for (Map.Entry<String, Double> term : generated.terms().entrySet()) {
            double g = term.getValue();
            assertEquals(g, eager.get(term.getKey()), 1e-6 * Math.max(1, Math.abs(g)), name + " term " + term.getKey());
        }
        assertEquals(generated.loss(), eager.get("loss"), 1e-6 * Math.max(1, Math.abs(generated.loss())), name + " total");
    }

    private Path resource(String model, String file) throws Exception {
        Path target = dir.resolve(model + "-" + file);
        try (InputStream in = getClass().getResourceAsStream("/dev/tapgrad/reference/" + model + "/" + file)) {
            Files.copy(in, target);
        }
        return target;
    }
}
