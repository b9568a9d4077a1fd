package dev.tapgrad.performance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.kernel.Platform;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's allocation target on the Vector API kernels: once C2 has compiled them, a training
 * step allocates nothing, on the training thread or on the helper threads that share its passes.
 * {@link AllocationFreeStepTest} runs with C1 only, where every {@code new} is real, and so on the
 * portable kernels (the vector ones need C2, {@link Platform#vectorUsable}). The vector kernels have
 * a failure mode of their own that only C2 shows: a vector C2 cannot keep in registers (one carried
 * by a loop nested in another, on JDK 17) is boxed, and the step then allocates gigabytes a second
 * while giving the same numbers; the max-pooling kernel did so until it was rewritten. And C2
 * emits at most {@code PerMethodTrapLimit} (100) type checks in one compilation, about one or two
 * per Vector API call in our kernels: past that budget a kernel's last vectors lose their exact
 * type and run in the API's boxed fallback. Whether a compilation gets there depends on the
 * profiles the JVM has gathered, so it happened in some JVMs and not others: the first-layer
 * convolution's 8-pixel rows and the penalty terms of the 16-channel convolution's tiles did so
 * when this test ran the models one after another (megabytes a step), and each kernel method now
 * stays well below the budget.
 *
 * <p>The models are the allocation test's, all of them. This runs in a JVM of its own with C2 and
 * the Vector API (see the samples' pom). C2 compiles
 * in the background and may deoptimise a method when a branch it never saw is taken, which puts
 * the objects its escape analysis removed back on the heap once; so each model trains epoch after
 * epoch until one window of {@link #MEASURED} steps allocates nothing, and fails if none does
 * within {@link #SECONDS} seconds. A boxed vector allocates in every step of every epoch, so it
 * cannot pass; the failure message lists each epoch's bytes per step.
 */
class VectorPathAllocationFreeStepTest {
    private static final int BATCH = 32;
    /** Batches of each epoch before its window (the first epoch sizes the buffers and the workspace). */
    private static final int WARM = 2;
    private static final int MEASURED = 8;
    /**
     * How long a model may train before a clean window: C2 compiles a kernel after some thousands
     * of its loop's iterations, in the background, one method at a time; a small model's kernel
     * that the warm-up's copies did not reach (a GEMM tile of another width) takes a few seconds.
     */
    private static final long SECONDS = 30;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** The helper threads of the runtime's shared pool, whose allocations count as the step's too. */
    private static long[] helpers;

    @BeforeAll
    static void findTheHelpers() {
        assumeTrue(Platform.FMA, "this CPU has no hardware FMA, so the vector kernels never run here");
        assertTrue(Platform.vectorUsable(), "the vector-path allocation test must run with C2 and "
                + "--add-modules jdk.incubator.vector (its execution in the samples' pom)");
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        // Touch the pool so that its helpers exist before they are looked for.
        dev.tapgrad.runtime.kernel.parallel.ParallelFor.slots();
        helpers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tapgrad-parallel-"))
                .mapToLong(Thread::getId)
                .toArray();
        assertEquals(dev.tapgrad.runtime.kernel.parallel.ParallelFor.slots() - 1, helpers.length,
                "the shared pool's helper threads were not found by name");
    }

    static Stream<Arguments> models() {
        return Stream.concat(
                AllocationFreeStepTest.models().map(a -> Arguments.of(a.get()[0], a.get()[1], AllocationFreeStepTest.data(
                        (int[]) a.get()[2], (int) a.get()[3], (boolean) a.get()[4], BATCH * (WARM + MEASURED)))),
                Stream.of(
                        Arguments.of("text-gru", (Supplier<TrainableModel>) () -> new TextGruNetGraph(1),
                                AllocationFreeStepTest.tokens(12, 50, BATCH * (WARM + MEASURED))),
                        Arguments.of("long-gru", (Supplier<TrainableModel>) () -> new LongGruNetGraph(1),
                                AllocationFreeStepTest.tokens(80, 1000, BATCH * (WARM + MEASURED))),
                        Arguments.of("custom-layers", (Supplier<TrainableModel>) () -> new CustomLayerNetGraph(1),
                                AllocationFreeStepTest.data(new int[] {16}, 2, false, BATCH * (WARM + MEASURED))),
                        Arguments.of("vae", (Supplier<TrainableModel>) () -> new dev.tapgrad.samples.vae.VaeGraph(1),
                                pixels(BATCH * (WARM + MEASURED)))));
    }

    /** Issue 12's losses and metrics on small MLPs (their data holds more batches than the window needs). */
    static Stream<Arguments> lossModels() {
        return AllocationFreeStepTest.lossModels();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossModels")
    void aCompiledVectorTrainingStepWithIssue12sLossesAllocatesNothing(String name, Supplier<TrainableModel> factory,
            Dataset data) {
        aCompiledVectorTrainingStepAllocatesNothing(name, factory, data);
    }

    /** {@code n} images of 784 pixels in [0, 1), as inputs and targets of the vae sample. */
    private static Dataset pixels(int n) {
        java.util.Random random = new java.util.Random(10);
        dev.tapgrad.runtime.Tensor x = dev.tapgrad.runtime.Tensor.zeros(n, 784);
        for (int i = 0; i < x.size(); i++) {
            x.buffer()[i] = random.nextFloat();
        }
        return Dataset.of(x, x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aCompiledVectorTrainingStepAllocatesNothing(String name, Supplier<TrainableModel> factory, Dataset data) {
        TrainableModel model = factory.get();
        long[] allocated = new long[WARM + MEASURED + 1];
        List<Long> perStep = new ArrayList<>();
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            model.fit(data, Fit.epochs(1).batchSize(BATCH).verbose(false)
                    .onBatchEnd((e, batch, terms) -> {
                        if (batch < allocated.length) {
                            allocated[batch] = allocatedSoFar();
                        }
                    }));
            assertTrue(allocated[WARM] > 0 && allocated[WARM + MEASURED] > 0, "the batch listener was not called for every batch");
            long during = allocated[WARM + MEASURED] - allocated[WARM];
            if (during == 0) {
                return;
            }
            perStep.add(during / MEASURED);
        }
        fail(name + ": no window of " + MEASURED + " training steps in " + SECONDS + " s of training (" + perStep.size()
                + " epochs) allocated nothing; bytes per step in the last epochs: "
                + perStep.subList(Math.max(0, perStep.size() - 20), perStep.size()));
    }

    /** The training thread's allocated bytes plus the helpers'; allocates nothing itself (tested below). */
    private static long allocatedSoFar() {
        long sum = THREADS.getCurrentThreadAllocatedBytes();
        for (long id : helpers) {
            sum += THREADS.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    /** The count allocates nothing, so a clean window is the steps', and it sees a helper's allocation. */
    @Test
    void theMeasurementAllocatesNothingAndSeesTheHelpers() {
        long[] counts = new long[200];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = allocatedSoFar();
        }
        assertEquals(counts[100], counts[199], "reading the counters allocated");
        // A shared call of two items, one a chunk: the caller holds its item until a helper has run
        // the other, which allocates 1 MB there.
        AtomicBoolean helperRan = new AtomicBoolean();
        float[][] kept = new float[1][];
        long before = allocatedSoFar();
        dev.tapgrad.runtime.kernel.parallel.ParallelFor.run(2, 1, (from, to, slot) -> {
            if (slot != 0) {
                kept[0] = new float[1 << 18];
                helperRan.set(true);
                return;
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!helperRan.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        });
        long after = allocatedSoFar();
        assertTrue(helperRan.get(), "no helper took part in a shared call within 5 s");
        assertTrue(after - before >= 4L << 18, "a helper allocated 1 MB but the count grew by " + (after - before) + " bytes");
    }
}
