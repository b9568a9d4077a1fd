package dev.tapgrad.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GraphSteps} as a generated graph's {@code Steps} uses it: the constants of its {@link
 * GraphSpec}, the weights drawn in layer order from the seed, the buffers reallocated only when the
 * batch size changes, and the parameters' gradients zeroed before {@code backward}.
 */
class GraphStepsTest {
    /** A stand-in for a generated {@code Steps}: records which passes ran, with which sizes. */
    private static final class RecordingSteps extends GraphSteps {
        final List<String> calls = new ArrayList<>();
        final Tensor output = Tensor.zeros(1);

        RecordingSteps(GraphSpec spec) {
            super(spec, 7);
        }

        @Override
        protected void allocate(int size) {
            calls.add("allocate " + size);
        }

        @Override
        protected Tensor forward(Tensor x) {
            calls.add("forward");
            return output;
        }

        @Override
        protected void backward(Tensor x, Tensor y, double[] terms) {
            workspace().scalar(0); // throws unless the step opened the workspace
            for (Parameter p : parameters()) {
                calls.add(p.name() + " grad " + p.grad().toArray()[0]);
                p.grad().fill(3f);
            }
            terms[0] = 1;
        }

        @Override
        protected void losses(Tensor y, double[] terms) {
            calls.add("losses");
        }
    }

    private static Dense hidden() {
        return new Dense("hidden", 2, 3, Activation.RELU);
    }

    private static GraphSpec spec(Dense hidden, Dense out) {
        return GraphSpec.of("Net").input(2).output(1).loss(LossKind.MSE).auxLoss("l1", 0.5).auxLoss("l2", 0.25)
                .metrics(Metric.ACCURACY).layers(hidden, new Flatten("flat"), out);
    }

    @Test
    void theSpecGivesTheConstantsTheTrainingLoopReads() {
        RecordingSteps s = new RecordingSteps(spec(hidden(), new Dense("out", 3, 1, Activation.LINEAR)));
        assertEquals("Net", s.modelName());
        assertArrayEquals(new int[] {2}, s.inputShape());
        assertArrayEquals(new int[] {1}, s.outputShape());
        assertEquals(LossKind.MSE, s.lossKind());
        assertEquals(List.of(Metric.ACCURACY), s.metrics());
        assertEquals(List.of("mse", "l1", "l2"), s.termNames());
        assertArrayEquals(new double[] {1.0, 0.5, 0.25}, s.termWeights());
        assertEquals(List.of("hidden.kernel", "hidden.bias", "out.kernel", "out.bias"),
                s.parameters().stream().map(Parameter::name).toList());
        RecordingSteps custom = new RecordingSteps(GraphSpec.of("Custom").input(2).output(1).loss("myLoss")
                .layers(hidden()));
        assertEquals(LossKind.NONE, custom.lossKind());
        assertEquals(List.of("myLoss"), custom.termNames());
    }

    @Test
    void theWeightsAreDrawnLayerAfterLayerFromTheSeed() {
        Dense h = hidden();
        Dense o = new Dense("out", 3, 1, Activation.LINEAR);
        new RecordingSteps(spec(h, o));
        Dense h2 = hidden();
        Dense o2 = new Dense("out", 3, 1, Activation.LINEAR);
        Random random = new Random(7);
        h2.initialize(random);
        o2.initialize(random);
        assertArrayEquals(h2.kernel().toArray(), h.kernel().toArray());
        assertArrayEquals(o2.kernel().toArray(), o.kernel().toArray());
    }

    @Test
    void parametersAreFoundByTheirTapNames() {
        Dense h = hidden();
        RecordingSteps s = new RecordingSteps(spec(h, new Dense("out", 3, 1, Activation.LINEAR)));
        assertSame(h.kernel(), s.parameter("hidden.kernel").value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.parameter("hidden.gamma"));
        assertEquals("Net has no parameter hidden.gamma", e.getMessage());
    }

    @Test
    void buffersAreAllocatedWhenTheBatchSizeChangesAndOnlyThen() {
        RecordingSteps s = new RecordingSteps(spec(hidden(), new Dense("out", 3, 1, Activation.LINEAR)));
        double[] terms = new double[3];
        assertSame(s.output, s.predictStep(Tensor.zeros(4, 2)));
        s.evaluateStep(Tensor.zeros(4, 2), Tensor.zeros(4, 1), terms);
        s.predictStep(Tensor.zeros(5, 2));
        s.predictStep(Tensor.zeros(4, 2));
        assertEquals(List.of("allocate 4", "forward", "forward", "losses", "allocate 5", "forward", "allocate 4", "forward"),
                s.calls);
    }

    @Test
    void backwardStartsFromZeroParameterGradientsInsideAnOpenWorkspace() {
        RecordingSteps s = new RecordingSteps(spec(hidden(), new Dense("out", 3, 1, Activation.LINEAR)));
        double[] terms = new double[3];
        s.trainStep(Tensor.zeros(2, 2), Tensor.zeros(2, 1), terms);
        s.calls.clear();
        s.trainStep(Tensor.zeros(2, 2), Tensor.zeros(2, 1), terms);
        // backward left 3 in every gradient; the second step saw them zeroed again
        assertEquals(List.of("forward", "hidden.kernel grad 0.0", "hidden.bias grad 0.0", "out.kernel grad 0.0",
                "out.bias grad 0.0"), s.calls);
        assertThrows(IllegalStateException.class, () -> s.workspace().scalar(1.0), "the workspace is closed after a step");
    }
}
