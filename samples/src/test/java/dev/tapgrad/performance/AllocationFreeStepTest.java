package dev.tapgrad.performance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.samples.activationloss.RegularizedClassifierGraph;
import dev.tapgrad.samples.convnet.ConvNetGraph;
import dev.tapgrad.samples.diversemlp.DiverseMlpGraph;
import dev.tapgrad.samples.helperloss.HelperRegularizedClassifierGraph;
import dev.tapgrad.samples.priorlstm.PriorLstmGraph;
import dev.tapgrad.samples.sparsecnn.SparseCnnGraph;
import dev.tapgrad.samples.weightloss.WeightRegularizedClassifierGraph;
import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5's allocation target: once the first batches have run, a training step (gather the batch,
 * forward, loss and aux losses, backward, the finiteness check, the Adam update) allocates nothing
 * on the heap. Measured with the JVM's per-thread allocation counter between two batches of one
 * epoch, for the six sample models (every case of the design, the four benchmark workloads'
 * shapes among them), PooledConvNet, SeqPoolNet and ReshapedPoolNet (the pooling, Conv1D and Reshape layers), TextGruNet (Embedding, Gru), NormDropNet (BatchNorm, LayerNorm, Dropout in fit's training mode) and the convnet sample;
 * and issue 17's: TwoConvBnNet (a convolution over 16 channels, BatchNorm after convolutions, the
 * benchmark's twoconv64 and bnconv64 sizes), StridedConvNet (strided and SAME convolutions, 5x5,
 * Dropout on images, BatchNorm on features), MergedLstmNet (Lstm's last state, Add, Concatenate,
 * LayerNorm) and LongGruNet (the gru64 workload). The counter counts bytes as the interpreter and the compilers allocate
 * them; the test runs in a JVM of its own with C1 only (see the samples' pom), where every
 * {@code new} on the path is a real allocation, so this holds whether or not C2's escape
 * analysis would have removed one.
 */
class AllocationFreeStepTest {
    private static final int BATCH = 32; // large enough for the Lstm to split its batch into parts
    /** Batches before measuring: the first ones size the buffers and the workspace. */
    private static final int WARM = 4;
    private static final int MEASURED = 12;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("sparse-cnn", (Supplier<TrainableModel>) () -> new SparseCnnGraph(1), new int[] {28, 28, 1}, 10, true),
                Arguments.of("prior-lstm", (Supplier<TrainableModel>) () -> new PriorLstmGraph(1), new int[] {100, 1}, 100, false),
                Arguments.of("diverse-mlp", (Supplier<TrainableModel>) () -> new DiverseMlpGraph(1), new int[] {10}, 1, false),
                Arguments.of("activation-loss", (Supplier<TrainableModel>) () -> new RegularizedClassifierGraph(1), new int[] {784}, 10, true),
                Arguments.of("weight-loss", (Supplier<TrainableModel>) () -> new WeightRegularizedClassifierGraph(1), new int[] {784}, 10, true),
                Arguments.of("helper-loss", (Supplier<TrainableModel>) () -> new HelperRegularizedClassifierGraph(1), new int[] {784}, 10, true),
                Arguments.of("pooled-conv", (Supplier<TrainableModel>) () -> new PooledConvNetGraph(1), new int[] {14, 14, 1}, 10, true),
                Arguments.of("seq-pool", (Supplier<TrainableModel>) () -> new SeqPoolNetGraph(1), new int[] {20, 3}, 4, true),
                Arguments.of("reshaped-pool", (Supplier<TrainableModel>) () -> new ReshapedPoolNetGraph(1), new int[] {64}, 3, true),
                Arguments.of("norm-drop", (Supplier<TrainableModel>) () -> new NormDropNetGraph(1), new int[] {8, 8, 2}, 4, true),
                Arguments.of("convnet", (Supplier<TrainableModel>) () -> new ConvNetGraph(1), new int[] {28, 28, 1}, 10, true),
                Arguments.of("two-conv-bn", (Supplier<TrainableModel>) () -> new TwoConvBnNetGraph(1), new int[] {28, 28, 1}, 10, true),
                Arguments.of("strided-conv", (Supplier<TrainableModel>) () -> new StridedConvNetGraph(1), new int[] {12, 12, 3}, 4, true),
                Arguments.of("merged-lstm", (Supplier<TrainableModel>) () -> new MergedLstmNetGraph(1), new int[] {10, 4}, 2, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aTrainingStepAllocatesNothingAfterTheFirstBatches(String name, Supplier<TrainableModel> factory, int[] input,
            int outputs, boolean classifier) {
        assertStepsAllocateNothing(name, factory.get(), data(input, outputs, classifier, BATCH * (WARM + MEASURED)));
    }

    /** TextGruNet (Embedding, two Grus, taps on both) on token ids, which the random data of the others cannot be. */
    @org.junit.jupiter.api.Test
    void aTextTrainingStepAllocatesNothing() {
        assertStepsAllocateNothing("text-gru", new TextGruNetGraph(1), tokens(12, 50));
    }

    /** LongGruNet: issue 17's gru64 workload, 80 steps over a vocabulary of 1000. */
    @org.junit.jupiter.api.Test
    void aLongTextTrainingStepAllocatesNothing() {
        assertStepsAllocateNothing("long-gru", new LongGruNetGraph(1), tokens(80, 1000));
    }

    /** Token ids (n, steps) below {@code vocabulary} with binary labels, for the text models. */
    private static Dataset tokens(int steps, int vocabulary) {
        return tokens(steps, vocabulary, BATCH * (WARM + MEASURED));
    }

    /** {@code n} token sequences of {@code steps} ids below {@code vocabulary}, binary labels. */
    static Dataset tokens(int steps, int vocabulary, int n) {
        Random random = new Random(8);
        Tensor ids = Tensor.zeros(n, steps);
        for (int i = 0; i < ids.size(); i++) {
            ids.buffer()[i] = random.nextInt(vocabulary);
        }
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.buffer()[i] = random.nextInt(2);
        }
        return Dataset.of(ids, y);
    }

    /** CustomLayerNet: generated custom layers (a Swish, a sampling layer with random draws) and a tap on a custom weight. */
    @org.junit.jupiter.api.Test
    void aCustomLayerTrainingStepAllocatesNothing() {
        assertStepsAllocateNothing("custom-layers", new CustomLayerNetGraph(1), data(new int[] {16}, 2, false, BATCH * (WARM + MEASURED)));
    }

    private static void assertStepsAllocateNothing(String name, TrainableModel model, Dataset data) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        long[] allocated = new long[WARM + MEASURED + 1];
        model.fit(data, Fit.epochs(1).batchSize(BATCH).verbose(false)
                .onBatchEnd((epoch, batch, terms) -> allocated[batch] = threads.getCurrentThreadAllocatedBytes()));
        assertTrue(allocated[WARM] > 0 && allocated[WARM + MEASURED] > 0, "the batch listener was not called for every batch");
        long during = allocated[WARM + MEASURED] - allocated[WARM];
        assertEquals(0, during, name + ": " + MEASURED + " training steps after the first " + WARM + " allocated "
                + during + " bytes (" + during / MEASURED + " per step); a step must allocate nothing");
    }

    /** Issue 12's losses and metrics (class ids, logits, Huber; binary accuracy, MAE, MSE) on small MLPs. */
    static Stream<Arguments> lossModels() {
        Random random = new Random(9);
        int n = BATCH * (WARM + MEASURED);
        Tensor x = Tensor.randn(random, n, 20);
        Tensor ids = Tensor.zeros(n);
        Tensor bits = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            ids.set(random.nextInt(5), i);
            bits.set(random.nextInt(2), i, 0);
        }
        return Stream.of(
                Arguments.of("sparse-labels", (Supplier<TrainableModel>) () -> new SparseLabelsMlpGraph(1), Dataset.of(x, ids)),
                Arguments.of("binary-logits", (Supplier<TrainableModel>) () -> new BinaryLogitsMlpGraph(1), Dataset.of(x, bits)),
                Arguments.of("huber", (Supplier<TrainableModel>) () -> new HuberMlpGraph(1),
                        Dataset.of(x, Tensor.randn(random, n, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossModels")
    void aTrainingStepWithIssue12sLossesAndMetricsAllocatesNothing(String name, Supplier<TrainableModel> factory,
            Dataset data) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[WARM + MEASURED + 1];
        factory.get().fit(data, Fit.epochs(1).batchSize(BATCH).verbose(false)
                .onBatchEnd((epoch, batch, terms) -> allocated[batch] = threads.getCurrentThreadAllocatedBytes()));
        long during = allocated[WARM + MEASURED] - allocated[WARM];
        assertTrue(allocated[WARM] > 0, "the batch listener was not called");
        assertEquals(0, during, name + ": " + MEASURED + " training steps after the first " + WARM + " allocated "
                + during + " bytes; a step must allocate nothing");
    }

    /**
     * The vae sample's model: a custom layer (Sampling) whose random draws come from the graph's
     * generator into workspace buffers, a @Loss method and an aux loss on two taps.
     */
    @org.junit.jupiter.api.Test
    void aVaeTrainingStepWithRandomDrawsAllocatesNothing() {
        int n = BATCH * (WARM + MEASURED);
        Tensor x = Tensor.zeros(n, 784);
        Random random = new Random(10);
        for (int i = 0; i < x.size(); i++) {
            x.buffer()[i] = random.nextFloat();
        }
        assertStepsAllocateNothing("vae", new dev.tapgrad.samples.vae.VaeGraph(1), Dataset.of(x, x));
    }

    /** The counter itself allocates nothing, so the assertion above measures the steps alone. */
    @org.junit.jupiter.api.Test
    void theMeasurementAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[100];
        for (int i = 0; i < allocated.length; i++) {
            allocated[i] = threads.getCurrentThreadAllocatedBytes();
        }
        assertEquals(0, allocated[99] - allocated[50]);
        // And it does see an allocation: a 1 MB array shows up.
        long before = threads.getCurrentThreadAllocatedBytes();
        float[] big = new float[1 << 18];
        long after = threads.getCurrentThreadAllocatedBytes();
        assertTrue(after - before >= 4L * big.length, "allocated " + (after - before) + " bytes for a 1 MB array");
    }

    /** {@code n} random inputs of shape {@code input}; one-hot labels of {@code outputs} classes or random targets. */
    static Dataset data(int[] input, int outputs, boolean classifier, int n) {
        Random random = new Random(7);
        int[] xShape = new int[input.length + 1];
        xShape[0] = n;
        System.arraycopy(input, 0, xShape, 1, input.length);
        Tensor x = Tensor.randn(random, xShape);
        Tensor y;
        if (classifier) {
            y = Tensor.zeros(n, outputs);
            for (int i = 0; i < n; i++) {
                y.set(1f, i, random.nextInt(outputs));
            }
        } else {
            y = outputs == 100 ? Tensor.randn(random, n, 100, 1) : Tensor.randn(random, n, outputs);
        }
        return Dataset.of(x, y);
    }
}
