package dev.tapgrad.runtime.train;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.List;

/**
 * What a generated {@code <Model>Graph} gives the runtime's training loop: shapes, loss terms,
 * parameters, and the three compiled steps. Implemented by generated code only; users call the
 * graph's {@code fit}, {@code evaluate}, {@code predict} and {@code gradients} instead.
 */
public interface CompiledGraph {
    /** Simple name of the user's model class, for error messages. */
    String modelName();

    /** Shape of one input example, without the batch dimension. */
    int[] inputShape();

    /** Shape of one label (equal to one prediction), without the batch dimension. */
    int[] outputShape();

    /** The built-in main loss, or {@link LossKind#NONE} for a {@code @Loss} method. */
    LossKind lossKind();

    /**
     * Whether the main loss takes logits ({@code @Model(fromLogits = true)}): the binary accuracy
     * then thresholds at 0, which is 0.5 after a sigmoid.
     */
    default boolean fromLogits() {
        return false;
    }

    /** Metrics to report, as requested ({@code ACCURACY} not yet resolved). */
    List<Metric> metrics();

    /** Names of the loss terms: the main loss first, then each auxiliary loss in declaration order. */
    List<String> termNames();

    /** Weight of each term in the total, parallel to {@link #termNames()}; the main loss has 1. */
    double[] termWeights();

    /** Every trainable parameter, in layer declaration order. */
    List<Parameter> parameters();

    /**
     * Forward pass, every loss term (unweighted) into {@code terms}, and the backward pass: each
     * parameter's gradient is overwritten with the gradient of the weighted total.
     *
     * @return the predictions for this batch (a buffer reused by the next call)
     */
    Tensor trainStep(Tensor x, Tensor y, double[] terms);

    /**
     * What {@link #trainStep} computes, for {@code gradients}: the training forward, but nothing
     * changes (no moving statistics, and the dropout masks of the next training step, not advanced).
     * The same as {@link #trainStep} for a graph without such state.
     */
    default Tensor gradientStep(Tensor x, Tensor y, double[] terms) {
        return trainStep(x, y, terms);
    }

    /** Forward pass and every loss term, without gradients; returns the predictions buffer. */
    Tensor evaluateStep(Tensor x, Tensor y, double[] terms);

    /** Forward pass only; no loss is computed. Returns the predictions buffer. */
    Tensor predictStep(Tensor x);

    /**
     * The layers' untrained state (BatchNorm's moving statistics), saved beside the parameters in
     * checkpoints and backups; none by default.
     */
    default List<Parameter> state() {
        return List.of();
    }

    /**
     * What {@code fit} keeps on the model between calls (optimizer state, epochs trained), or null
     * for a graph that keeps nothing: each {@code fit} then starts afresh.
     */
    default TrainingState trainingState() {
        return null;
    }

    /** The training steps the graph's random draws (dropout masks) have advanced by; 0 without any. */
    default long randomStep() {
        return 0;
    }

    /** Sets the random draws to those of training step {@code step} (a backup being restored). */
    default void randomStep(long step) {
        // a graph without random draws has nothing to restore
    }
}
