package dev.tapgrad.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Saves the model (parameters and layer state, a checkpoint {@code TrainableModel.load} reads) after
 * each epoch, as Keras's {@code ModelCheckpoint} with {@code save_weights_only}: every epoch over
 * the same file, or with {@link #saveBestOnly()} only when the monitored quantity (default {@code
 * val_loss}) is the best so far. The file is written atomically.
 *
 * <pre>{@code
 * ModelCheckpoint.to(Path.of("best.safetensors")).monitor("val_accuracy").saveBestOnly()
 * }</pre>
 */
public final class ModelCheckpoint implements Callback, Monitoring {
    private final Path file;
    private final String key;
    private final boolean bestOnly;
    private Double best;

    private ModelCheckpoint(Path file, String key, boolean bestOnly) {
        this.file = file;
        this.key = key;
        this.bestOnly = bestOnly;
    }

    /** Saves to {@code file} (a safetensors checkpoint) after every epoch. */
    public static ModelCheckpoint to(Path file) {
        Objects.requireNonNull(file, "ModelCheckpoint.to: pass the checkpoint file, e.g. Path.of(\"best.safetensors\")");
        return new ModelCheckpoint(file, "val_loss", false);
    }

    /** The quantity {@link #saveBestOnly()} compares; default {@code val_loss}. */
    public ModelCheckpoint monitor(String key) {
        return new ModelCheckpoint(file, new Monitor(key, 0).key(), bestOnly);
    }

    /** Saves only when the monitored quantity improves on every earlier epoch of this fit. */
    public ModelCheckpoint saveBestOnly() {
        return new ModelCheckpoint(file, key, true);
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }

    @Override
    public Monitor monitor() {
        return bestOnly ? new Monitor(key, 0) : null;
    }

    @Override
    public void onTrainBegin(TrainingControl control) {
        best = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
        if (bestOnly) {
            Monitor m = new Monitor(key, 0);
            double current = m.read(logs);
            if (!m.improves(current, best)) {
                return;
            }
            best = current;
        }
        try {
            control.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint could not write " + file + " after epoch " + epoch, e);
        }
    }

    @Override
    public String toString() {
        return "ModelCheckpoint(" + file + (bestOnly ? ", best " + key : "") + ")";
    }
}
