package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @Loss} method that reads labels, predictions and a tapped activation equals, value and
 * gradient, the same loss written as built-in MSE plus a weighted aux term.
 */
class CustomLossTest {
    @TempDir Path dir;

    @Test
    void customLossEqualsBuiltInPlusAux() throws Exception {
        CustomLossNetGraph custom = new CustomLossNetGraph(21);
        BuiltInLossNetGraph builtIn = new BuiltInLossNetGraph(0);
        Path weights = dir.resolve("w.safetensors");
        custom.save(weights);
        builtIn.load(weights);
        Random r = new Random(6);
        Tensor x = Tensor.randn(r, 9, 6);
        Tensor y = Tensor.randn(r, 9, 3);

        Gradients a = custom.gradients(x, y);
        Gradients b = builtIn.gradients(x, y);
        assertEquals(List.of("loss"), List.copyOf(a.terms().keySet()), "the @Loss method names the main term");
        assertEquals(b.loss(), a.loss(), 1e-6 * Math.abs(b.loss()));
        for (String p : b.all().keySet()) {
            float[] ga = a.get(p).toArray();
            float[] gb = b.get(p).toArray();
            for (int i = 0; i < ga.length; i++) {
                assertEquals(gb[i], ga[i], 1e-5 * Math.max(1, Math.abs(gb[i])), p + "[" + i + "]");
            }
        }
        Map<String, Double> eval = custom.evaluate(Dataset.of(x, y));
        assertEquals(a.loss(), eval.get("loss"), 1e-6 * Math.abs(a.loss()), "eager @Loss equals generated");
    }

    @Test
    void aLossMethodNamedLossDoesNotHideTheWeightedTotal() {
        LossNamedLossNetGraph m = new LossNamedLossNetGraph(3);
        Random r = new Random(2);
        Tensor x = Tensor.randn(r, 6, 3);
        Tensor y = Tensor.randn(r, 6, 2);
        Gradients g = m.gradients(x, y);
        double total = g.terms().get("loss") + 0.5 * g.terms().get("small");
        assertEquals(total, g.loss(), 1e-6 * Math.abs(total));
        Map<String, Double> eval = m.evaluate(Dataset.of(x, y));
        assertEquals(total, eval.get("loss"), 1e-6 * Math.abs(total), "evaluate's loss is the weighted total");
        assertEquals(g.terms().get("small"), eval.get("small"), 1e-6);
    }
}
