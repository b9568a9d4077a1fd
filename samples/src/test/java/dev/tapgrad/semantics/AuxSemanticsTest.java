package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN §1 "Semantics that users rely on", on generated code with the PyTorch fixture weights. */
class AuxSemanticsTest {
    @TempDir Path dir;
    private Tensor x;
    private Tensor y;
    private SparseNetGraph withAux;
    private PlainNetGraph without;

    @BeforeEach
    void setUp() throws Exception {
        Map<String, Tensor> batch = Fixtures.batch("TinyCnn", dir);
        x = batch.get("x");
        y = batch.get("y");
        Path weights = Fixtures.copy("TinyCnn", "weights.safetensors", dir);
        withAux = new SparseNetGraph(3);
        withAux.load(weights);
        without = new PlainNetGraph(4);
        without.load(weights);
        CountingOps.CALLS.set(0);
    }

    @Test
    void auxGradientIsExactlyZeroAfterTheTapAndNonZeroAtAndBeforeIt() {
        Gradients a = withAux.gradients(x, y);
        Gradients b = without.gradients(x, y);
        // out comes after the tap conv1: the aux term must not change its gradient by a single bit
        assertArrayEquals(b.get("out.kernel").toArray(), a.get("out.kernel").toArray());
        assertArrayEquals(b.get("out.bias").toArray(), a.get("out.bias").toArray());
        // conv1 is the tapped layer: its gradient gains 0.5 · d mean|conv1| / d conv1.*
        assertFalse(Arrays.equals(b.get("conv1.kernel").toArray(), a.get("conv1.kernel").toArray()));
        assertFalse(Arrays.equals(b.get("conv1.bias").toArray(), a.get("conv1.bias").toArray()));
    }

    @Test
    void totalIsMainPlusWeightedAux() {
        Gradients a = withAux.gradients(x, y);
        double main = a.terms().get("categorical_crossentropy");
        double aux = a.terms().get("sparsity");
        assertEquals(main + 0.5 * aux, a.loss(), 1e-6 * Math.abs(a.loss()));
        assertEquals(without.gradients(x, y).loss(), main, 1e-6, "the main term does not depend on the aux loss");
    }

    @Test
    void predictNeverComputesTheAuxLossButEvaluateAndTrainingDo() {
        Tensor p = withAux.predict(x);
        assertArrayEquals(new int[] {5, 4}, p.shape());
        assertEquals(0, CountingOps.CALLS.get(), "predict ran the aux loss");
        Map<String, Double> eval = withAux.evaluate(Dataset.of(x, y));
        assertTrue(CountingOps.CALLS.get() > 0, "evaluate must report the aux term");
        assertEquals(eval.get("categorical_crossentropy") + 0.5 * eval.get("sparsity"), eval.get("loss"), 1e-6);
        int afterEvaluate = CountingOps.CALLS.get();
        withAux.gradients(x, y);
        assertTrue(CountingOps.CALLS.get() > afterEvaluate, "training steps compute the aux loss");
    }

    @Test
    void eagerUserMethodEqualsGeneratedForwardValue() {
        // The conv1 activation, computed with the runtime layer directly.
        Tensor act = Tensor.zeros(5, 4, 4, 3);
        withAux.conv1.forward(x, act);
        double eager = withAux.sparsity(act).item();
        double generated = withAux.gradients(x, y).terms().get("sparsity");
        assertEquals(eager, generated, 1e-7 * Math.abs(eager));
        // and an independent formula: mean |relu(conv)| is the mean of the activation itself
        double sum = 0;
        for (float v : act.toArray()) {
            sum += Math.abs(v);
        }
        assertEquals(sum / act.size(), eager, 1e-6);
    }

    @Test
    void gradientsDoNotChangeTheWeights() {
        float[] before = withAux.conv1.kernel().toArray();
        withAux.gradients(x, y);
        assertArrayEquals(before, withAux.conv1.kernel().toArray());
    }
}
