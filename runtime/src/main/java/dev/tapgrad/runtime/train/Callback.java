package dev.tapgrad.runtime.train;

import java.util.Map;

/**
 * Hooks {@code fit} calls while it trains, as Keras's {@code keras.callbacks.Callback}: at the start
 * and end of training, of each epoch (with the epoch's logs: {@code loss}, every term and metric,
 * the {@code val_} ones, {@code learning_rate}) and after each batch. Every method does nothing by
 * default; the {@link TrainingControl} lets a callback stop training, change the learning rate,
 * read the history or save the model. Epochs and batches are counted from 1, as the progress lines.
 *
 * <pre>{@code
 * Fit.epochs(50).callbacks(new Callback() {
 *     public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
 *         if (logs.get("accuracy") > 0.99) control.stopTraining();
 *     }
 * })
 * }</pre>
 */
public interface Callback {
    /** Before the first epoch (after a backup, if any, was restored). */
    default void onTrainBegin(TrainingControl control) {}

    /** Before epoch {@code epoch}'s first batch. */
    default void onEpochBegin(int epoch, TrainingControl control) {}

    /**
     * After batch {@code batch}'s optimizer step. It runs every step, so it should be quick and
     * allocate nothing; {@code terms} (unweighted, in the order of the history's term keys) is reused.
     */
    default void onBatchEnd(int epoch, int batch, double[] terms, TrainingControl control) {}

    /** After epoch {@code epoch} and its validation; {@code logs} is that epoch's history record, read-only. */
    default void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {}

    /** After the last epoch, or after the epoch in which training was stopped. */
    default void onTrainEnd(TrainingControl control) {}
}
