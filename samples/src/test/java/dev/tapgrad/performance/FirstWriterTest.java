package dev.tapgrad.performance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.samples.convnet.ConvNetGraph;
import dev.tapgrad.samples.sparsecnn.SparseCnnGraph;
import dev.tapgrad.samples.weightloss.WeightRegularizedClassifierGraph;
import dev.tapgrad.semantics.MultiTapNetGraph;
import dev.tapgrad.semantics.ResidualNetGraph;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's "first writer overwrites": the generated backward pass no longer zeroes the
 * activation-gradient buffers; the first gradient to reach each buffer in a step overwrites it
 * (a layer's backward with {@code accumulate} false, the main loss, an aux loss's reverse pass) and
 * the later ones add. If a first writer added instead, or a buffer that an adding writer reaches
 * first were not zeroed, a step would carry the previous step's gradients: so a graph's second
 * {@code gradients} call, on other data after a first call on much larger data, must give exactly
 * (to the bit) what a fresh graph with the same weights gives in its first call on that data.
 * {@code gradients} changes no state (its dropout masks are the ones fit's next step would draw,
 * the same for both graphs), so any difference is stale gradient.
 *
 * <p>One model per writer: Dense (mlp, residual), Conv2D on every dL/dx path (the direct kernel
 * with im2col dx, the per-image implicit GEMM over 16 channels, strided and 5x5 SAME on patches),
 * BatchNorm, MaxPool2D (VALID and SAME), Dropout on images and features, the views (Flatten,
 * Reshape), op-by-op taps that write (one loss with two taps, a main {@code @Loss}), fused
 * penalties that add (zeroed buffers), the merges Add and Concatenate (zeroed), custom layers,
 * Lstm, LayerNorm, the poolings that still add, and weight taps.
 */
class FirstWriterTest {
    private static final int BATCH = 8;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("sparse-cnn", (Supplier<TrainableModel>) () -> new SparseCnnGraph(3), new int[] {28, 28, 1}, 10, true),
                Arguments.of("weight-loss", (Supplier<TrainableModel>) () -> new WeightRegularizedClassifierGraph(3), new int[] {784}, 10, true),
                Arguments.of("convnet", (Supplier<TrainableModel>) () -> new ConvNetGraph(3), new int[] {28, 28, 1}, 10, true),
                Arguments.of("pooled-conv", (Supplier<TrainableModel>) () -> new PooledConvNetGraph(3), new int[] {14, 14, 1}, 10, true),
                Arguments.of("norm-drop", (Supplier<TrainableModel>) () -> new NormDropNetGraph(3), new int[] {8, 8, 2}, 4, true),
                Arguments.of("two-conv-bn", (Supplier<TrainableModel>) () -> new TwoConvBnNetGraph(3), new int[] {28, 28, 1}, 10, true),
                Arguments.of("strided-conv", (Supplier<TrainableModel>) () -> new StridedConvNetGraph(3), new int[] {12, 12, 3}, 4, true),
                Arguments.of("reshaped-pool", (Supplier<TrainableModel>) () -> new ReshapedPoolNetGraph(3), new int[] {64}, 3, true),
                Arguments.of("merged-lstm", (Supplier<TrainableModel>) () -> new MergedLstmNetGraph(3), new int[] {10, 4}, 2, false),
                Arguments.of("custom-layer", (Supplier<TrainableModel>) () -> new CustomLayerNetGraph(3), new int[] {16}, 2, false),
                Arguments.of("multi-tap", (Supplier<TrainableModel>) () -> new MultiTapNetGraph(3), new int[] {6, 6, 2}, 4, true),
                Arguments.of("residual", (Supplier<TrainableModel>) () -> new ResidualNetGraph(3), new int[] {6}, 3, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aStepCarriesNothingOfThePreviousStep(String name, Supplier<TrainableModel> factory, int[] input, int outputs,
            boolean classifier) {
        Tensor[] first = batch(new Random(11), input, outputs, classifier, 4f);
        Tensor[] second = batch(new Random(12), input, outputs, classifier, 1f);
        TrainableModel used = factory.get();
        Gradients before = used.gradients(first[0], first[1]);
        Gradients after = used.gradients(second[0], second[1]);
        Gradients fresh = factory.get().gradients(second[0], second[1]);

        assertEquals(fresh.terms(), after.terms(), name + ": loss terms");
        boolean differs = false;
        for (Map.Entry<String, Tensor> e : fresh.all().entrySet()) {
            float[] expected = e.getValue().toArray();
            assertArrayEquals(expected, after.get(e.getKey()).toArray(), name + ": gradient of " + e.getKey());
            differs |= !java.util.Arrays.equals(expected, before.get(e.getKey()).toArray());
        }
        // the first step's gradients must differ, or stale ones could not show
        assertTrue(differs, name + ": the two batches gave the same gradients");
    }

    /** x scaled by {@code scale} (a larger first batch leaves larger stale gradients), and labels. */
    private static Tensor[] batch(Random random, int[] input, int outputs, boolean classifier, float scale) {
        int[] shape = new int[input.length + 1];
        shape[0] = BATCH;
        System.arraycopy(input, 0, shape, 1, input.length);
        Tensor x = Tensor.randn(random, shape);
        float[] v = x.buffer();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * scale + (scale > 1 ? 0.5f : 0f);
        }
        float[] y = new float[BATCH * outputs];
        for (int b = 0; b < BATCH; b++) {
            if (classifier) {
                y[b * outputs + random.nextInt(outputs)] = 1f;
            } else {
                for (int j = 0; j < outputs; j++) {
                    y[b * outputs + j] = (float) random.nextGaussian();
                }
            }
        }
        return new Tensor[] {x, Tensor.of(y, BATCH, outputs)};
    }
}
