package dev.tapgrad.runtime;

import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.train.Callback;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Options of one {@code fit} call, immutable: each setter returns a new {@code Fit}. Defaults
 * follow Keras: batch size 32, {@code Adam.lr(1e-3)}, no validation data, no callbacks, no
 * clipping; shuffling seed 0 and progress output on.
 *
 * <pre>{@code
 * Fit.epochs(10).batchSize(64).optimizer(Sgd.lr(0.01).momentum(0.9)).validationSplit(0.1).seed(7)
 *    .callbacks(EarlyStopping.monitor("val_loss").patience(2).restoreBestWeights())
 *    .backupTo(Path.of("backup"))
 * }</pre>
 */
public final class Fit {
    private int epochs;
    private int batchSize = 32;
    private Optimizer optimizer = Adam.lr(1e-3);
    private Dataset validation;
    private double validationSplit = Double.NaN;
    private long seed;
    private boolean verbose = true;
    private BatchListener listener;
    private List<Callback> callbacks = List.of();
    private double clipNorm = Double.NaN;
    private Path backupDir;
    private int initialEpoch;

    private Fit() {}

    private Fit copy() {
        Fit f = new Fit();
        f.epochs = epochs;
        f.batchSize = batchSize;
        f.optimizer = optimizer;
        f.validation = validation;
        f.validationSplit = validationSplit;
        f.seed = seed;
        f.verbose = verbose;
        f.listener = listener;
        f.callbacks = callbacks;
        f.clipNorm = clipNorm;
        f.backupDir = backupDir;
        f.initialEpoch = initialEpoch;
        return f;
    }

    /**
     * Train until epoch {@code epochs} (from {@link #initialEpoch}, 0 by default), with every other
     * option at its default.
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public static Fit epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("Fit.epochs: need at least 1 epoch, got " + epochs);
        }
        Fit f = new Fit();
        f.epochs = epochs;
        return f;
    }

    /**
     * Examples per gradient step; a data set smaller than this trains in one batch.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public Fit batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Fit.batchSize: need at least 1 example per batch, got " + batchSize);
        }
        Fit f = copy();
        f.batchSize = batchSize;
        return f;
    }

    /**
     * The optimizer. Its state (moments, step count) stays on the model: a later {@code fit} with an
     * optimizer of the same kind continues it, as a second {@code fit} in Keras does; another kind
     * starts afresh.
     */
    public Fit optimizer(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "Fit.optimizer: pass an optimizer such as Adam.lr(1e-3)");
        Fit f = copy();
        f.optimizer = optimizer;
        return f;
    }

    /**
     * Data evaluated after each epoch, reported as {@code val_}-prefixed keys in {@link History}.
     *
     * @throws IllegalArgumentException if a validation split is already set
     */
    public Fit validation(Dataset validation) {
        Objects.requireNonNull(validation, "Fit.validation: pass a Dataset");
        if (!Double.isNaN(validationSplit)) {
            throw new IllegalArgumentException("Fit.validation: this Fit already has validationSplit(" + validationSplit
                    + "); pass either validation data or a split, not both");
        }
        Fit f = copy();
        f.validation = validation;
        return f;
    }

    /**
     * Holds out the last {@code fraction} of the training data (before any shuffling, as Keras's
     * {@code validation_split}: {@code floor(n·(1 − fraction))} examples train) and validates on it.
     *
     * @throws IllegalArgumentException unless {@code 0 < fraction < 1}, or if validation data is already set
     */
    public Fit validationSplit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("Fit.validationSplit: the held-out fraction must be strictly between 0 and 1, got "
                    + fraction);
        }
        if (validation != null) {
            throw new IllegalArgumentException("Fit.validationSplit: this Fit already has validation data; pass either "
                    + "validation data or a split, not both");
        }
        Fit f = copy();
        f.validationSplit = fraction;
        return f;
    }

    /**
     * Seed of the per-epoch shuffle: the model's {@code e}-th epoch (counted from 0 over all its
     * {@code fit} calls) uses {@code new Random(seed + e)}, so runs repeat and continue.
     */
    public Fit seed(long seed) {
        Fit f = copy();
        f.seed = seed;
        return f;
    }

    /** Whether to show a progress bar and a line per epoch on standard error. */
    public Fit verbose(boolean verbose) {
        Fit f = copy();
        f.verbose = verbose;
        return f;
    }

    /** Calls {@code listener} after every batch's optimizer step (replacing any earlier one). */
    public Fit onBatchEnd(BatchListener listener) {
        Objects.requireNonNull(listener, "Fit.onBatchEnd: pass a listener, e.g. (epoch, batch, terms) -> { }");
        Fit f = copy();
        f.listener = listener;
        return f;
    }

    /**
     * Callbacks called in this order at each hook (replacing any earlier ones): {@code EarlyStopping},
     * {@code ModelCheckpoint}, {@code ReduceLrOnPlateau}, {@code CsvLogger} or a user's {@link
     * Callback}. Their monitors are checked against the fit's keys before training starts.
     */
    public Fit callbacks(Callback... callbacks) {
        Objects.requireNonNull(callbacks, "Fit.callbacks: pass callbacks such as EarlyStopping.monitor(\"val_loss\")");
        for (int i = 0; i < callbacks.length; i++) {
            Objects.requireNonNull(callbacks[i], "Fit.callbacks: callback " + (i + 1) + " is null");
        }
        Fit f = copy();
        f.callbacks = List.copyOf(new ArrayList<>(List.of(callbacks)));
        return f;
    }

    /**
     * Scales the gradients down so that their global norm (over every parameter together) is at most
     * {@code maxNorm}, before each optimizer step: Keras's {@code global_clipnorm}, PyTorch's {@code
     * clip_grad_norm_} (not Keras's per-weight {@code clipnorm}).
     *
     * @throws IllegalArgumentException unless {@code maxNorm} is finite and > 0
     */
    public Fit clipNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("Fit.clipNorm: the largest gradient norm must be finite and > 0, got "
                    + maxNorm);
        }
        Fit f = copy();
        f.clipNorm = maxNorm;
        return f;
    }

    /**
     * After every epoch, saves into {@code dir} what resuming needs (weights, layer state, optimizer
     * state, epoch, shuffle and dropout positions, the history so far); each file is written
     * atomically and a manifest written last commits the epoch. Running the same {@code fit} with the
     * same folder again (after a crash, say) restores that and continues after the last complete
     * epoch, ending with the weights an uninterrupted run has, bit for bit. A completed run is kept:
     * running it again restores its end and trains nothing.
     */
    public Fit backupTo(Path dir) {
        Objects.requireNonNull(dir, "Fit.backupTo: pass a folder, e.g. Path.of(\"backup\")");
        Fit f = copy();
        f.backupDir = dir;
        return f;
    }

    /**
     * The epoch to start at (Keras's {@code initial_epoch}): this fit runs epochs {@code
     * initialEpoch + 1} to {@link #epochs()}, numbered so in the progress lines and callbacks.
     *
     * @throws IllegalArgumentException unless {@code 0 <= initialEpoch < epochs}
     */
    public Fit initialEpoch(int initialEpoch) {
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException("Fit.initialEpoch: must be >= 0 and below epochs (" + epochs + "), got "
                    + initialEpoch);
        }
        Fit f = copy();
        f.initialEpoch = initialEpoch;
        return f;
    }

    /** The batch listener, if any. */
    public Optional<BatchListener> batchListener() {
        return Optional.ofNullable(listener);
    }

    /** Number of epochs (the last epoch's number). */
    public int epochs() {
        return epochs;
    }

    /** Examples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The optimizer configuration. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The validation data, if any. */
    public Optional<Dataset> validation() {
        return Optional.ofNullable(validation);
    }

    /** The fraction of the training data held out for validation, if set. */
    public OptionalDouble validationSplit() {
        return Double.isNaN(validationSplit) ? OptionalDouble.empty() : OptionalDouble.of(validationSplit);
    }

    /** The shuffling seed. */
    public long seed() {
        return seed;
    }

    /** Whether progress is printed. */
    public boolean verbose() {
        return verbose;
    }

    /** The callbacks, in call order. */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** The global gradient norm limit, if set. */
    public OptionalDouble clipNorm() {
        return Double.isNaN(clipNorm) ? OptionalDouble.empty() : OptionalDouble.of(clipNorm);
    }

    /** The backup folder, if set. */
    public Optional<Path> backupDir() {
        return Optional.ofNullable(backupDir);
    }

    /** The epoch this fit starts after (0 by default). */
    public int initialEpoch() {
        return initialEpoch;
    }

    @Override
    public String toString() {
        return "Fit(epochs=" + epochs + (initialEpoch != 0 ? ", initialEpoch=" + initialEpoch : "") + ", batchSize="
                + batchSize + ", optimizer=" + optimizer + (validation == null ? "" : ", validation=" + validation)
                + (Double.isNaN(validationSplit) ? "" : ", validationSplit=" + validationSplit)
                + (Double.isNaN(clipNorm) ? "" : ", clipNorm=" + clipNorm)
                + (callbacks.isEmpty() ? "" : ", callbacks=" + callbacks)
                + (backupDir == null ? "" : ", backupTo=" + backupDir) + ", seed=" + seed + ", verbose=" + verbose + ")";
    }
}
