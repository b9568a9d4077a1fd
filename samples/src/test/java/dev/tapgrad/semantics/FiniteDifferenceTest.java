package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.LINEAR;
import static dev.tapgrad.Activation.RELU;
import static dev.tapgrad.Activation.SOFTMAX;
import static dev.tapgrad.Activation.TANH;
import static dev.tapgrad.runtime.f64.Layers64.concatenate;
import static dev.tapgrad.runtime.f64.Layers64.conv2d;
import static dev.tapgrad.runtime.f64.Layers64.dense;
import static dev.tapgrad.runtime.f64.Layers64.flatten;
import static dev.tapgrad.runtime.f64.Ops64.abs;
import static dev.tapgrad.runtime.f64.Ops64.categoricalCrossentropy;
import static dev.tapgrad.runtime.f64.Ops64.mean;
import static dev.tapgrad.runtime.f64.Ops64.mse;
import static dev.tapgrad.runtime.f64.Ops64.mul;
import static dev.tapgrad.runtime.f64.Ops64.square;
import static dev.tapgrad.runtime.f64.Ops64.sub;
import static dev.tapgrad.runtime.f64.Ops64.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated gradients of the semantics models against float64 central differences of the total
 * loss of a double reference of each model, written here next to its test ({@link FiniteDifferences}),
 * independent of PyTorch.
 */
class FiniteDifferenceTest {
    @TempDir Path dir;

    @Test
    void sparseNetWithAuxLoss() throws Exception {
        SparseNetGraph m = new SparseNetGraph(1);
        m.load(Fixtures.copy("TinyCnn", "weights.safetensors", dir));
        List<Parameter> params = new ArrayList<>(m.conv1.parameters());
        params.addAll(m.out.parameters());
        check("TinyCnn", params, m::gradients, (p, x, y) -> {
            T64 conv1 = conv2d(x, p[0], p[1], 1, 1, false, RELU);
            T64 out = dense(flatten(conv1), p[2], p[3], SOFTMAX);
            return categoricalCrossentropy(y, out).item() + 0.5 * mean(abs(conv1)).item();
        });
    }

    @Test
    void multiTapAndParameterTaps() {
        MultiTapNetGraph m = new MultiTapNetGraph(5);
        List<Parameter> params = new ArrayList<>(m.conv1.parameters());
        params.addAll(m.hidden.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(3);
        Tensor x = Tensor.randn(r, 6, 6, 6, 2);
        int[] labels = {0, 3, 1, 2, 3, 1};
        Tensor y = dev.tapgrad.runtime.Dataset.oneHot(labels, 4);
        check("MultiTapNet", params, x, y, m::gradients, (p, xs, ys) -> {
            T64 conv1 = conv2d(xs, p[0], p[1], 1, 1, false, RELU);
            T64 hidden = dense(flatten(conv1), p[2], p[3], TANH);
            T64 out = dense(hidden, p[4], p[5], SOFTMAX);
            return categoricalCrossentropy(ys, out).item() + 0.3 * (mean(square(conv1)).item() + mean(abs(hidden)).item())
                    + 0.05 * sum(abs(p[2])).item() + 0.2 * sum(square(p[5])).item();
        });
    }

    @Test
    void lossMethodReadingLabelsPredictionsAndATap() {
        CustomLossNetGraph m = new CustomLossNetGraph(2);
        List<Parameter> params = new ArrayList<>(m.hidden.parameters());
        params.addAll(m.intermediate.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(8);
        check("CustomLossNet", params, Tensor.randn(r, 7, 6), Tensor.randn(r, 7, 3), m::gradients, (p, x, y) -> {
            T64 act = dense(dense(x, p[0], p[1], RELU), p[2], p[3], TANH);
            T64 pred = dense(act, p[4], p[5], LINEAR);
            return mean(square(sub(pred, y))).item() + 0.1 * mean(abs(act)).item();
        });
    }

    @Test
    void dagWithAddConcatenateAndFanOut() {
        ResidualNetGraph m = new ResidualNetGraph(12);
        List<Parameter> params = new ArrayList<>(m.a.parameters());
        params.addAll(m.b.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(10);
        check("ResidualNet", params, Tensor.randn(r, 5, 6), Tensor.randn(r, 5, 3), m::gradients, (p, x, y) -> {
            T64 a = dense(x, p[0], p[1], TANH);
            T64 b = dense(a, p[2], p[3], TANH);
            T64 out = dense(concatenate(Layers64.add(a, b), x), p[4], p[5], LINEAR);
            return mse(y, out).item() + 0.2 * mean(square(a)).item();
        });
    }

    @Test
    void helperMethodsAndConstantTensors() {
        HelperNetGraph m = new HelperNetGraph(9);
        List<Parameter> params = new ArrayList<>(m.hidden.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(4);
        float[] target = HelperNet.TARGET.toArray();
        T64 target64 = T64.of(HelperNet.TARGET);
        T64 offset64 = T64.of(Tensor.randn(new Random(8), 5)); // HelperNet's offset field, drawn the same way
        check("HelperNet", params, Tensor.randn(r, 7, 4), Tensor.randn(r, 7, 2), m::gradients, (p, x, y) -> {
            T64 hidden = dense(x, p[0], p[1], TANH);
            T64 out = dense(hidden, p[2], p[3], LINEAR);
            double pull = mean(square(sub(hidden, target64))).item() + 0.5 * mean(square(mul(hidden, offset64))).item();
            return mse(y, out).item() + 0.2 * pull;
        });
        assertArrayEquals(target, HelperNet.TARGET.toArray(), "a constant never changes");
    }

    private void check(String fixture, List<Parameter> params, BiFunction<Tensor, Tensor, Gradients> gradients,
            FiniteDifferences.Reference reference) throws Exception {
        Map<String, Tensor> batch = Fixtures.batch(fixture, dir);
        check(fixture, params, batch.get("x"), batch.get("y"), gradients, reference);
    }

    private static void check(String fixture, List<Parameter> params, Tensor x, Tensor y,
            BiFunction<Tensor, Tensor, Gradients> gradients, FiniteDifferences.Reference reference) {
        FiniteDifferences.check(fixture, params, x, y, gradients, reference);
    }

}
