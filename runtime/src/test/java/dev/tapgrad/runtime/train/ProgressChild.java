package dev.tapgrad.runtime.train;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child JVM of {@link ProgressTerminalTest}: trains a {@link TestGraph} for 2 epochs of 40
 * batches with validation, as a user's program would (its standard error wherever the test put it),
 * slowed down so that the line is drawn several times, and stopped in the middle of the first
 * epoch until the test has looked at the screen: it writes {@code paused} and waits for {@code go}
 * in the folder {@code args[0]}. Prints {@code {"done":true}} on standard output at the end.
 */
public final class ProgressChild {
    static final int EPOCHS = 2;
    static final int BATCHES = 40;
    static final int PAUSE_AT = 20;

    private ProgressChild() {}

    /** {@code args[0]}: the folder of the {@code paused} and {@code go} files. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random r = new Random(7);
        Tensor x = Tensor.randn(r, BATCHES * 32, 16);
        int[] labels = r.ints(BATCHES * 32, 0, 10).toArray();
        Dataset train = Dataset.of(x, Dataset.oneHot(labels, 10));
        Dataset validation = Dataset.of(Tensor.randn(r, 64, 16), Dataset.oneHot(r.ints(64, 0, 10).toArray(), 10));
        TestGraph g = new TestGraph("SparseCnn", new int[] {16}, 10, LossKind.CATEGORICAL_CROSSENTROPY, 0.01, Metric.ACCURACY);
        Trainer.fit(g, train, Fit.epochs(EPOCHS).batchSize(32).validation(validation).verbose(true)
                .onBatchEnd((epoch, batch, terms) -> {
                    sleep(25);
                    if (epoch == 1 && batch == PAUSE_AT) {
                        pause(dir);
                    }
                }));
        System.out.println("{\"done\":true}");
    }

    private static void pause(Path dir) {
        try {
            Files.writeString(dir.resolve("paused"), "");
            for (int i = 0; i < 1200 && !Files.exists(dir.resolve("go")); i++) {
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
