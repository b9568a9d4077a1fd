package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Dataset;

/**
 * Where {@code fit}'s loop gets each batch's loss terms and gradients when they are computed by
 * workers outside this process (the tapgrad-spark module) instead of by the model itself. The
 * loop stays {@code fit}'s ({@link GradientStep#fit}): the validation split, the shuffle, the
 * gradient clipping, the optimizer step and its state on the model, the callbacks and the backup;
 * only the forward and backward of a batch run elsewhere, at the model's current weights.
 */
public interface ShardedGradients {
    /**
     * Called once, after the options and data have been checked and before the first epoch, with
     * the examples that train (without those {@code Fit.validationSplit} keeps back), so that the
     * workers can hold their shares of them.
     */
    void begin(Dataset train);

    /**
     * Epoch {@code epoch} (numbered as in {@code fit}'s progress lines and callbacks, from 1) begins
     * with the example order {@code order} (fit's shuffle; the array is reused by the next epoch).
     */
    void epoch(int epoch, int[] order);

    /**
     * The sums over the examples {@code order[from .. to)} of the current epoch, computed at the
     * model's current weights ({@link GradientStep#compute} on each share, added with {@link
     * ShardSums#add}).
     */
    ShardSums batch(int from, int to);

    /** Called once when training ends, normally or not: release what {@link #begin} set up. */
    default void end() {
        // nothing to release by default
    }
}
