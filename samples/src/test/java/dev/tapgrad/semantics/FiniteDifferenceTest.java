package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
 * The generated gradients of the semantics models against central finite differences of the total
 * loss ({@link FiniteDifferences}), independent of PyTorch.
 */
class FiniteDifferenceTest {
    @TempDir Path dir;

    @Test
    void sparseNetWithAuxLoss() throws Exception {
        SparseNetGraph m = new SparseNetGraph(1);
        m.load(Fixtures.copy("TinyCnn", "weights.safetensors", dir));
        List<Parameter> params = new ArrayList<>(m.conv1.parameters());
        params.addAll(m.out.parameters());
        check("TinyCnn", params, m::gradients);
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
        check("MultiTapNet", params, x, y, m::gradients);
    }

    @Test
    void lossMethodReadingLabelsPredictionsAndATap() {
        CustomLossNetGraph m = new CustomLossNetGraph(2);
        List<Parameter> params = new ArrayList<>(m.hidden.parameters());
        params.addAll(m.intermediate.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(8);
        check("CustomLossNet", params, Tensor.randn(r, 7, 6), Tensor.randn(r, 7, 3), m::gradients);
    }

    @Test
    void dagWithAddConcatenateAndFanOut() {
        ResidualNetGraph m = new ResidualNetGraph(12);
        List<Parameter> params = new ArrayList<>(m.a.parameters());
        params.addAll(m.b.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(10);
        check("ResidualNet", params, Tensor.randn(r, 5, 6), Tensor.randn(r, 5, 3), m::gradients);
    }

    @Test
    void helperMethodsAndConstantTensors() {
        HelperNetGraph m = new HelperNetGraph(9);
        List<Parameter> params = new ArrayList<>(m.hidden.parameters());
        params.addAll(m.out.parameters());
        Random r = new Random(4);
        float[] target = HelperNet.TARGET.toArray();
        check("HelperNet", params, Tensor.randn(r, 7, 4), Tensor.randn(r, 7, 2), m::gradients);
        assertArrayEquals(target, HelperNet.TARGET.toArray(), "a constant never changes");
    }

    private void check(String fixture, List<Parameter> params, BiFunction<Tensor, Tensor, Gradients> gradients)
            throws Exception {
        Map<String, Tensor> batch = Fixtures.batch(fixture, dir);
        check(fixture, params, batch.get("x"), batch.get("y"), gradients);
    }

    private static void check(String fixture, List<Parameter> params, Tensor x, Tensor y,
            BiFunction<Tensor, Tensor, Gradients> gradients) {
        FiniteDifferences.check(fixture, params, x, y, gradients);
    }

}
