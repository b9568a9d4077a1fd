package dev.tapgrad.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every generated {@code <Model>Graph} offers, so code can train, evaluate and store any
 * Tapgrad model without knowing its class:
 *
 * <pre>{@code
 * TrainableModel model = new SparseCnnGraph(42);
 * model.fit(train, Fit.epochs(5));
 * double accuracy = model.evaluate(test).get("accuracy");
 * }</pre>
 */
public interface TrainableModel {
    /**
     * Trains on {@code train}; each loss term is reported separately, per epoch, in the history.
     * Runs the training forward: Dropout drops (masks drawn from the model's seed, so one seed gives
     * one run) and BatchNorm normalises with each batch's statistics and moves its moving ones. A
     * second call continues the first, as in Keras: the optimizer's state and the shuffle's position
     * stay on the model, so two calls of 2 epochs end where one call of 4 does.
     */
    History fit(Dataset train, Fit options);

    /**
     * The weighted total {@code loss}, every term unweighted, and every metric on {@code data}, in
     * inference: no dropout, BatchNorm with its moving statistics.
     */
    Map<String, Double> evaluate(Dataset data);

    /** The model's outputs for {@code x}, in inference as {@link #evaluate}; no loss is computed. */
    Tensor predict(Tensor x);

    /**
     * Loss terms and the gradient of the total loss for every trainable parameter, through the
     * training forward as {@link #fit} runs it (the dropout masks {@code fit}'s next step would draw,
     * batch statistics); nothing changes: not the weights, not the moving statistics, not the masks
     * a later {@code fit} draws.
     */
    Gradients gradients(Tensor x, Tensor y);

    /**
     * Writes every parameter, and every layer's untrained state ({@code bn.moving_mean}, {@code
     * bn.moving_variance}), to a safetensors file, named {@code layer.param} in Keras layouts.
     */
    void save(Path file) throws IOException;

    /** Reads every parameter and state tensor from a safetensors file; on any error the weights stay as they were. */
    void load(Path file) throws IOException;

    /**
     * A Keras-style table of the model: each layer with its type, output shape ({@code None} for
     * the batch), parameter count, and the auxiliary losses that tap it; then the totals ({@code
     * Total params: 2,307}, trainable, and non-trainable: BatchNorm's moving statistics) and the
     * loss as the sum of its weighted terms.
     *
     * <p>Generated graphs implement it; the default exists so that a hand-written implementation of
     * this interface (a wrapper, a test double) written against 0.1 still compiles.
     *
     * @throws UnsupportedOperationException if this model is not a generated graph and does not
     *     override it
     */
    default String summary() {
        throw new UnsupportedOperationException(getClass().getName()
                + " is not a Tapgrad-generated graph, so it has no summary; call summary() on the graph"
                + " the processor generated for your @Model class");
    }
}
