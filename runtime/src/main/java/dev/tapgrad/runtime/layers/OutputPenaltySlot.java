package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Objects;

/**
 * A layer's fused output penalty ({@link OutputPenalty}, set by its {@code penalize}): the penalty,
 * its weight and the value of the latest forward, with the checks and messages that Conv2D, Dense
 * and BatchNorm share. The layer computes the value and the gradient in its own passes; this only
 * holds what they read, so that the three layers keep one copy of it.
 */
final class OutputPenaltySlot {
    /** The layer's kind and name, as its messages begin ("Conv2D conv"). */
    private final String kind;
    private final String layer;
    /** Null for no penalty. */
    private OutputPenalty penalty;
    private double weight;
    /** The penalty of the latest forward's output, unweighted; NaN before the first. */
    private double value = Double.NaN;

    OutputPenaltySlot(String kind, String layer) {
        this.kind = kind;
        this.layer = layer;
    }

    /** The layer's {@code penalize}: the weight is checked first, then the penalty. */
    void set(OutputPenalty penalty, double weight) {
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException(kind + " " + layer + ".penalize: the weight must be finite, got " + weight);
        }
        this.penalty = Objects.requireNonNull(penalty, kind + ".penalize: pass an OutputPenalty");
        this.weight = weight;
    }

    /**
     * The layer's {@code penalty()}: the latest value, once {@code forwardRan} (the layer's own
     * record of a forward since its scratch was last reset).
     */
    double value(boolean forwardRan) {
        if (penalty == null || !forwardRan) {
            throw new IllegalStateException(kind + " " + layer + ".penalty: " + (penalty == null
                    ? "no output penalty; call penalize first" : "run forward first"));
        }
        return value;
    }

    /** Records the penalty of a forward's {@code out}, computed in a pass of its own; nothing for none. */
    void record(Tensor out) {
        if (penalty != null) {
            value = penalty.value(out);
        }
    }

    /** Records the penalty from a fused pass's sum of |out| or out² over {@code values} values; nothing for none. */
    void recordSum(double sum, int values) {
        if (penalty != null) {
            value = penalty.fromSum(sum, values);
        }
    }

    /** Whether a penalty is set. */
    boolean active() {
        return penalty != null;
    }

    /** The penalty; null for none. */
    OutputPenalty penalty() {
        return penalty;
    }

    /** Sets this slot's penalty on a layer's warm-up {@code copy}, if there is one, so the copy runs the penalised passes. */
    void copyTo(OutputPenaltySlot copy) {
        if (penalty != null) {
            copy.set(penalty, weight);
        }
    }

    /** The warm-up key's suffix: " " and the penalty, or "" for none. */
    String keySuffix() {
        return penalty == null ? "" : " " + penalty;
    }

    /**
     * The kernel's penalty mode: {@code none} without a penalty, else {@code square} for L2 and
     * {@code abs} for L1 (each kernel package names these constants itself).
     */
    int mode(int none, int abs, int square) {
        return penalty == null ? none : penalty.squares() ? square : abs;
    }

    /** The float each value's gradient is scaled by in a fused pass ({@link OutputPenalty#scale}); 0 for none. */
    float scale(int values) {
        return penalty == null ? 0f : penalty.scale(weight, values);
    }

    /** {@code grad += weight · ∂penalty/∂out} in a pass of its own; nothing for none. */
    void addGradient(Tensor out, Tensor grad) {
        if (penalty != null) {
            penalty.addGradient(out, weight, grad);
        }
    }
}
