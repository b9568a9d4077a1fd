package dev.tapgrad.runtime;

/**
 * Called by {@code fit} after every batch's optimizer step, on the training thread, like Keras's
 * {@code on_train_batch_end}: for custom logging, early stopping by throwing, or measuring the
 * step. It runs inside the training loop, so it should be quick.
 *
 * <pre>{@code
 * model.fit(train, Fit.epochs(3).onBatchEnd((epoch, batch, terms) -> {
 *     if (batch % 100 == 0) System.out.println(epoch + "/" + batch + ": " + terms[0]);
 * }));
 * }</pre>
 */
@FunctionalInterface
public interface BatchListener {
    /**
     * One batch has been trained on.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param terms the batch's unweighted loss terms, in the order of {@code History}'s term keys
     *     (main loss first); the array is reused for the next batch, so copy what you keep
     */
    void batchEnded(int epoch, int batch, double[] terms);
}
