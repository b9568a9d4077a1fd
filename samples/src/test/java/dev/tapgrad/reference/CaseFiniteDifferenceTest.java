package dev.tapgrad.reference;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import dev.tapgrad.semantics.FiniteDifferences;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission cases' reference models against finite differences as well as PyTorch: the second,
 * independent check of their generated gradients (Lstm with a KL prior on a constant, cosine
 * diversity with matmul/transpose/l2Normalize, a @Loss with a tap, parameter taps, helpers, DAG).
 */
class CaseFiniteDifferenceTest {
    @TempDir Path dir;

    @Test
    void stridedCnnWithTwoAuxLossesAndSamePadding() throws Exception {
        StridedCnnGraph m = new StridedCnnGraph(1);
        m.load(file("StridedCnn", "weights.safetensors"));
        check("StridedCnn", params(m.conv1.parameters(), m.out.parameters()), m::gradients);
    }

    @Test
    void priorLstm() throws Exception {
        PriorLstmGraph m = new PriorLstmGraph(0);
        m.load(file("PriorLstm", "weights.safetensors"));
        check("PriorLstm", params(m.lstm.parameters(), m.out.parameters()), m::gradients);
    }

    @Test
    void diverseMlp() throws Exception {
        DiverseMlpGraph m = new DiverseMlpGraph(0);
        m.load(file("DiverseMlp", "weights.safetensors"));
        check("DiverseMlp", params(m.hidden.parameters(), m.out.parameters()), m::gradients);
    }

    @Test
    void regularizedClassifier() throws Exception {
        RegularizedClassifierGraph m = new RegularizedClassifierGraph(0);
        m.load(file("RegularizedClassifier", "weights.safetensors"));
        check("RegularizedClassifier", params(m.hidden.parameters(), m.intermediate.parameters(), m.out.parameters()),
                m::gradients);
    }

    @Test
    void weightLoss() throws Exception {
        WeightLossGraph m = new WeightLossGraph(0);
        m.load(file("WeightLoss", "weights.safetensors"));
        check("WeightLoss", params(m.hidden.parameters(), m.intermediate.parameters(), m.out.parameters()), m::gradients);
    }

    @Test
    void helperLoss() throws Exception {
        HelperLossGraph m = new HelperLossGraph(0);
        m.load(file("HelperLoss", "weights.safetensors"));
        check("HelperLoss", params(m.hidden.parameters(), m.intermediate.parameters(), m.out.parameters()), m::gradients);
    }

    @Test
    void residualDag() throws Exception {
        ResidualDagGraph m = new ResidualDagGraph(0);
        m.load(file("ResidualDag", "weights.safetensors"));
        check("ResidualDag", params(m.a.parameters(), m.b.parameters(), m.out.parameters()), m::gradients);
    }

    @SafeVarargs
    private static List<Parameter> params(List<Parameter>... lists) {
        List<Parameter> all = new ArrayList<>();
        for (List<Parameter> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private void check(String model, List<Parameter> params,
            java.util.function.BiFunction<Tensor, Tensor, dev.tapgrad.runtime.Gradients> gradients) throws Exception {
        Map<String, Tensor> batch = Safetensors.read(file(model, "batch.safetensors"));
        FiniteDifferences.check(model, params, batch.get("x"), batch.get("y"), gradients);
    }

    private Path file(String model, String name) throws Exception {
        Path target = dir.resolve(model + "-" + name);
        if (!Files.exists(target)) {
            try (InputStream in = getClass().getResourceAsStream("/dev/tapgrad/reference/" + model + "/" + name)) {
                Files.copy(in, target);
            }
        }
        return target;
    }
}
