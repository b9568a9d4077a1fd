package dev.tapgrad.runtime.layers;

import dev.tapgrad.Fuses;
import dev.tapgrad.runtime.Ops;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Penalties;

/**
 * An L1 or L2 penalty on a layer's whole output, {@code mean|sum} of {@code abs|square}, that a
 * layer computes inside its own passes instead of in passes of their own (see {@code
 * Conv2D.penalize} and {@code Dense.penalize}). Generated graphs use it for an aux loss whose body is exactly such a penalty
 * on a layer's output: the activity regularizers of the sparse-activation case. Each constant
 * declares with {@link Fuses} the ops it computes and its kernels; the processor reads these to
 * fuse a loss body that is one of them (on a layer's output or on any other tap).
 */
public enum OutputPenalty {
    /** {@code mean(abs(out))}. */
    @Fuses(ops = Ops.class, value = "mean(abs(x))", kernel = Penalties.class, forward = "meanAbs", gradient = "addMeanAbsGradient")
    MEAN_ABS(false, true),
    /** {@code sum(abs(out))}. */
    @Fuses(ops = Ops.class, value = "sum(abs(x))", kernel = Penalties.class, forward = "sumAbs", gradient = "addSumAbsGradient")
    SUM_ABS(false, false),
    /** {@code mean(square(out))}. */
    @Fuses(ops = Ops.class, value = "mean(square(x))", kernel = Penalties.class, forward = "meanSquare", gradient = "addMeanSquareGradient")
    MEAN_SQUARE(true, true),
    /** {@code sum(square(out))}. */
    @Fuses(ops = Ops.class, value = "sum(square(x))", kernel = Penalties.class, forward = "sumSquare", gradient = "addSumSquareGradient")
    SUM_SQUARE(true, false);

    private final boolean square;
    private final boolean mean;

    OutputPenalty(boolean square, boolean mean) {
        this.square = square;
        this.mean = mean;
    }

    /** Whether the penalty squares the values (L2) rather than taking their absolute values (L1). */
    public boolean squares() {
        return square;
    }

    /** Whether the penalty is a mean over the values rather than their sum. */
    public boolean averages() {
        return mean;
    }

    /** The penalty of {@code out}, unweighted, as the ops compute it ({@link Penalties}). */
    public double value(Tensor out) {
        return square ? (mean ? Penalties.meanSquare(out) : Penalties.sumSquare(out))
                : (mean ? Penalties.meanAbs(out) : Penalties.sumAbs(out));
    }

    /** {@code grad += weight · ∂penalty/∂out}, as the ops' reverse pass computes it. */
    public void addGradient(Tensor out, double weight, Tensor grad) {
        if (square) {
            if (mean) {
                Penalties.addMeanSquareGradient(out, weight, grad);
            } else {
                Penalties.addSumSquareGradient(out, weight, grad);
            }
        } else if (mean) {
            Penalties.addMeanAbsGradient(out, weight, grad);
        } else {
            Penalties.addSumAbsGradient(out, weight, grad);
        }
    }

    /**
     * The float every value's gradient is scaled by, as the ops' reverse pass rounds it: the
     * float weight, divided by the number of values for a mean.
     */
    public float scale(double weight, int values) {
        return mean ? (float) ((float) weight / (double) Math.max(1, values)) : (float) weight;
    }

    /** The value from the sum of |out| or out² (in double), rounded as the ops round it. */
    public double fromSum(double sum, int values) {
        return mean ? (float) ((float) sum / (double) Math.max(1, values)) : (float) sum;
    }
}
