package dev.tapgrad.reference;

import static dev.tapgrad.Activation.LINEAR;
import static dev.tapgrad.Activation.RELU;
import static dev.tapgrad.Activation.SOFTMAX;
import static dev.tapgrad.Activation.TANH;
import static dev.tapgrad.runtime.f64.Layers64.concatenate;
import static dev.tapgrad.runtime.f64.Layers64.conv2d;
import static dev.tapgrad.runtime.f64.Layers64.dense;
import static dev.tapgrad.runtime.f64.Layers64.flatten;
import static dev.tapgrad.runtime.f64.Layers64.lstm;
import static dev.tapgrad.runtime.f64.Ops64.abs;
import static dev.tapgrad.runtime.f64.Ops64.categoricalCrossentropy;
import static dev.tapgrad.runtime.f64.Ops64.klDivergence;
import static dev.tapgrad.runtime.f64.Ops64.l2Normalize;
import static dev.tapgrad.runtime.f64.Ops64.matmul;
import static dev.tapgrad.runtime.f64.Ops64.mean;
import static dev.tapgrad.runtime.f64.Ops64.mse;
import static dev.tapgrad.runtime.f64.Ops64.mul;
import static dev.tapgrad.runtime.f64.Ops64.neg;
import static dev.tapgrad.runtime.f64.Ops64.softmax;
import static dev.tapgrad.runtime.f64.Ops64.square;
import static dev.tapgrad.runtime.f64.Ops64.sub;
import static dev.tapgrad.runtime.f64.Ops64.sum;
import static dev.tapgrad.runtime.f64.Ops64.transpose;

import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
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
 * The mission cases' reference models against float64 finite differences of a double reference of
 * each model (written here, composed from {@code Layers64} and {@code Ops64}) as well as PyTorch:
 * the second, independent check of their generated gradients (Lstm with a KL prior on a constant, cosine
 * diversity with matmul/transpose/l2Normalize, a @Loss with a tap, parameter taps, helpers, DAG, BatchNorm's batch statistics and LayerNorm).
 */
class CaseFiniteDifferenceTest {
    @TempDir Path dir;

    @Test
    void stridedCnnWithTwoAuxLossesAndSamePadding() throws Exception {
        StridedCnnGraph m = new StridedCnnGraph(1);
        m.load(file("StridedCnn", "weights.safetensors"));
        check("StridedCnn", params(m.conv1.parameters(), m.out.parameters()), m::gradients, (p, x, y) -> {
            T64 conv1 = conv2d(x, p[0], p[1], 2, 2, true, RELU);
            T64 out = dense(flatten(conv1), p[2], p[3], LINEAR);
            double energy = mean(square(conv1)).item() + 0.5 * sum(mul(conv1, conv1)).item();
            return mse(y, out).item() + 0.1 * energy + 2.0 * mean(square(sub(out, neg(out)))).item();
        });
    }

    @Test
    void priorLstm() throws Exception {
        PriorLstmGraph m = new PriorLstmGraph(0);
        m.load(file("PriorLstm", "weights.safetensors"));
        T64 target = T64.of(PriorLstm.TARGET);
        check("PriorLstm", params(m.lstm.parameters(), m.out.parameters()), m::gradients, (p, x, y) -> {
            T64 lstm = lstm(x, p[0], p[1], p[2], true);
            T64 out = dense(lstm, p[3], p[4], LINEAR);
            return mse(y, out).item() + 0.5 * klDivergence(target, softmax(lstm)).item();
        });
    }

    @Test
    void diverseMlp() throws Exception {
        DiverseMlpGraph m = new DiverseMlpGraph(0);
        m.load(file("DiverseMlp", "weights.safetensors"));
        check("DiverseMlp", params(m.hidden.parameters(), m.out.parameters()), m::gradients, (p, x, y) -> {
            T64 hidden = dense(x, p[0], p[1], RELU);
            T64 unit = l2Normalize(hidden, 1);
            return mse(y, dense(hidden, p[2], p[3], LINEAR)).item() + 0.1 * mean(matmul(unit, transpose(unit))).item();
        });
    }

    @Test
    void regularizedClassifier() throws Exception {
        RegularizedClassifierGraph m = new RegularizedClassifierGraph(0);
        m.load(file("RegularizedClassifier", "weights.safetensors"));
        check("RegularizedClassifier", params(m.hidden.parameters(), m.intermediate.parameters(), m.out.parameters()),
                m::gradients, (p, x, y) -> {
                    T64 act = dense(dense(x, p[0], p[1], RELU), p[2], p[3], RELU);
                    T64 pred = dense(act, p[4], p[5], SOFTMAX);
                    return categoricalCrossentropy(y, pred).item() + 0.1 * mean(abs(act)).item();
                });
    }

    @Test
    void weightLoss() throws Exception {
        WeightLossGraph m = new WeightLossGraph(0);
        m.load(file("WeightLoss", "weights.safetensors"));
        check("WeightLoss", params(m.hidden.parameters(), m.intermediate.parameters(), m.out.parameters()), m::gradients,
                (p, x, y) -> {
                    T64 pred = dense(dense(dense(x, p[0], p[1], RELU), p[2], p[3], RELU), p[4], p[5], SOFTMAX);
                    return categoricalCrossentropy(y, pred).item() + 0.1 * sum(abs(p[2])).item()
                            + 0.2 * sum(square(p[5])).item();
                });
    }

    @Test
    void helperLoss() throws Exception {
        HelperLossGraph m = new HelperLossGraph(0);
        m.load(file("HelperLoss", "weights.safetensors"));
        check("HelperLoss", params(m.hidden.parameters(), m.intermediate.parameters(), m.out.parameters()), m::gradients,
                (p, x, y) -> {
                    T64 act = dense(dense(x, p[0], p[1], RELU), p[2], p[3], RELU);
                    T64 pred = dense(act, p[4], p[5], SOFTMAX);
                    return categoricalCrossentropy(y, pred).item() + 0.1 * mean(square(act)).item();
                });
    }

    @Test
    void residualDag() throws Exception {
        ResidualDagGraph m = new ResidualDagGraph(0);
        m.load(file("ResidualDag", "weights.safetensors"));
        check("ResidualDag", params(m.a.parameters(), m.b.parameters(), m.out.parameters()), m::gradients, (p, x, y) -> {
            T64 a = dense(x, p[0], p[1], TANH);
            T64 skip = Layers64.add(a, dense(a, p[2], p[3], TANH));
            T64 out = dense(concatenate(skip, x), p[4], p[5], LINEAR);
            return mse(y, out).item() + 0.2 * (mean(square(a)).item() + mean(abs(skip)).item());
        });
    }

    /** BatchNorm in the training forward (batch statistics, their share of the gradient included) and LayerNorm. */
    @Test
    void normCnn() throws Exception {
        NormCnnGraph m = new NormCnnGraph(0);
        m.load(file("NormCnn", "weights.safetensors"));
        check("NormCnn", params(m.conv1.parameters(), m.bn.parameters(), m.ln.parameters(), m.out.parameters()), m::gradients,
                (p, x, y) -> {
                    T64 conv1 = conv2d(x, p[0], p[1], 1, 1, true, TANH);
                    T64 ln = Layers64.layerNorm(flatten(Layers64.batchNorm(conv1, p[2], p[3], 1e-3)), p[4], p[5], 1e-3);
                    T64 out = dense(ln, p[6], p[7], LINEAR);
                    return mse(y, out).item() + 0.2 * sum(square(p[2])).item();
                });
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
            java.util.function.BiFunction<Tensor, Tensor, dev.tapgrad.runtime.Gradients> gradients,
            FiniteDifferences.Reference reference) throws Exception {
        Map<String, Tensor> batch = Safetensors.read(file(model, "batch.safetensors"));
        FiniteDifferences.check(model, params, batch.get("x"), batch.get("y"), gradients, reference);
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
