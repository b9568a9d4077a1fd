package dev.tapgrad.runtime;

import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Optimizer;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one {@code fit} call, immutable: each setter returns a new {@code Fit}. Defaults
 * follow Keras: batch size 32, {@code Adam.lr(1e-3)}, no validation data; shuffling seed 0 and
 * progress output on.
 *
 * <pre>{@code
 * Fit.epochs(10).batchSize(64).optimizer(Sgd.lr(0.01).momentum(0.9)).validation(test).seed(7)
 * }</pre>
 */
public final class Fit {
    private final int epochs;
    private final int batchSize;
    private final Optimizer optimizer;
    private final Dataset validation;
    private final long seed;
    private final boolean verbose;
    private final BatchListener listener;

    private Fit(int epochs, int batchSize, Optimizer optimizer, Dataset validation, long seed, boolean verbose,
            BatchListener listener) {
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.optimizer = optimizer;
        this.validation = validation;
        this.seed = seed;
        this.verbose = verbose;
        this.listener = listener;
    }

    /**
     * Train for {@code epochs} passes over the data, with every other option at its default.
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public static Fit epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("Fit.epochs: need at least 1 epoch, got " + epochs);
        }
        return new Fit(epochs, 32, Adam.lr(1e-3), null, 0L, true, null);
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
        return new Fit(epochs, batchSize, optimizer, validation, seed, verbose, listener);
    }

    /** The optimizer; its state (moments, velocities) starts fresh in each {@code fit}. */
    public Fit optimizer(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "Fit.optimizer: pass an optimizer such as Adam.lr(1e-3)");
        return new Fit(epochs, batchSize, optimizer, validation, seed, verbose, listener);
    }

    /** Data evaluated after each epoch, reported as {@code val_}-prefixed keys in {@link History}. */
    public Fit validation(Dataset validation) {
        Objects.requireNonNull(validation, "Fit.validation: pass a Dataset");
        return new Fit(epochs, batchSize, optimizer, validation, seed, verbose, listener);
    }

    /** Seed of the per-epoch shuffle (epoch e uses {@code new Random(seed + e)}), so runs repeat. */
    public Fit seed(long seed) {
        return new Fit(epochs, batchSize, optimizer, validation, seed, verbose, listener);
    }

    /** Whether to show a progress bar and a line per epoch on standard error. */
    public Fit verbose(boolean verbose) {
        return new Fit(epochs, batchSize, optimizer, validation, seed, verbose, listener);
    }

    /** Calls {@code listener} after every batch's optimizer step (replacing any earlier one). */
    public Fit onBatchEnd(BatchListener listener) {
        Objects.requireNonNull(listener, "Fit.onBatchEnd: pass a listener, e.g. (epoch, batch, terms) -> { }");
        return new Fit(epochs, batchSize, optimizer, validation, seed, verbose, listener);
    }

    /** The batch listener, if any. */
    public Optional<BatchListener> batchListener() {
        return Optional.ofNullable(listener);
    }

    /** Number of epochs. */
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

    /** The shuffling seed. */
    public long seed() {
        return seed;
    }

    /** Whether progress is printed. */
    public boolean verbose() {
        return verbose;
    }

    @Override
    public String toString() {
        return "Fit(epochs=" + epochs + ", batchSize=" + batchSize + ", optimizer=" + optimizer
                + (validation == null ? "" : ", validation=" + validation) + ", seed=" + seed
                + ", verbose=" + verbose + ")";
    }
}
