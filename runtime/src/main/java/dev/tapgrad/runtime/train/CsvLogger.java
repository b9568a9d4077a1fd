package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the history as CSV after every epoch, as Keras's {@code CSVLogger}: a header {@code
 * epoch,loss,<terms>,<metrics>,val_...,learning_rate} and one row per epoch (numbered from 1, as
 * the progress lines), values as Java prints doubles (round-trip exact, {@code NaN} as such). The
 * whole file is rewritten atomically each epoch, so it is always complete; after a resumed backup
 * it holds the restored epochs too.
 *
 * <pre>{@code
 * CsvLogger.to(Path.of("training.csv"))
 * }</pre>
 */
public final class CsvLogger implements Callback {
    private final Path file;

    private CsvLogger(Path file) {
        this.file = file;
    }

    /** Logs to {@code file}, replacing it. */
    public static CsvLogger to(Path file) {
        Objects.requireNonNull(file, "CsvLogger.to: pass the CSV file, e.g. Path.of(\"training.csv\")");
        return new CsvLogger(file);
    }

    /** The CSV file. */
    public Path file() {
        return file;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
        History history = control.history();
        List<String> keys = history.keys();
        StringBuilder sb = new StringBuilder("epoch");
        for (String k : keys) {
            sb.append(',').append(k);
        }
        sb.append('\n');
        int first = epoch - history.epochs() + 1;
        for (int e = 0; e < history.epochs(); e++) {
            sb.append(first + e);
            for (String k : keys) {
                sb.append(',').append(history.get(k).get(e));
            }
            sb.append('\n');
        }
        try {
            AtomicFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger could not write " + file + " after epoch " + epoch, e);
        }
    }

    @Override
    public String toString() {
        return "CsvLogger(" + file + ")";
    }
}
