package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.loss.CategoricalCrossentropy;
import dev.tapgrad.runtime.loss.KlDivergence;
import dev.tapgrad.runtime.loss.MeanSquaredError;
import dev.tapgrad.runtime.loss.Wrt;

/**
 * Losses as ops, with their derivative rules and Keras's formulas and constants:
 * {@code klDivergence}, {@code categoricalCrossentropy} and {@code mse}. Each op and its adjoints
 * run the one kernel of that loss in {@code dev.tapgrad.runtime.loss}, which the built-in main
 * losses run too. Re-exported by {@code dev.tapgrad.runtime.Ops}.
 *
 * <p>Each takes {@code (yTrue, yPred)}, which broadcast together (a target distribution of shape
 * {@code (C,)} against predictions {@code (B, T, C)}); rows are all leading axes of the broadcast
 * shape, the last axis holds the classes, and the result is the scalar mean over rows, which is
 * Keras's default sum-over-batch-size reduction. Both arguments get a gradient, so either may
 * depend on a tap.
 */
public final class Losses {
    private Losses() {}

    /**
     * Keras's {@code KLDivergence} loss: per row {@code Σ t·log(t / p)} with {@code t = clip(yTrue,
     * 1e-7, 1)} and {@code p = clip(yPred, 1e-7, 1)}, then the mean over rows. As in Keras the
     * factor is the clipped {@code t}, so a zero target adds {@code 1e-7·log(1e-7/p)}, not 0.
     */
    @Differentiable(adjoint = {"klDivergenceAdjointTrue", "klDivergenceAdjointPred"},
            shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor klDivergence(Tensor yTrue, Tensor yPred) {
        return KlDivergence.compute(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #klDivergence} for {@code yTrue}: {@code log(t/p) + 1} where yTrue is not clipped. */
    public static Tensor klDivergenceAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return KlDivergence.compute(yTrue, yPred, Wrt.TRUE, g);
    }

    /** Adjoint of {@link #klDivergence} for {@code yPred}: {@code −t/p} where yPred is not clipped. */
    public static Tensor klDivergenceAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return KlDivergence.compute(yTrue, yPred, Wrt.PRED, g);
    }

    /**
     * Keras's categorical cross-entropy on probabilities: per row {@code q = yPred / Σ yPred},
     * {@code c = clip(q, 1e-7, 1 − 1e-7)}, {@code −Σ yTrue·log c}; then the mean over rows.
     */
    @Differentiable(adjoint = {"categoricalCrossentropyAdjointTrue", "categoricalCrossentropyAdjointPred"},
            shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        return CategoricalCrossentropy.compute(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #categoricalCrossentropy} for {@code yTrue}: {@code −log c}. */
    public static Tensor categoricalCrossentropyAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return CategoricalCrossentropy.compute(yTrue, yPred, Wrt.TRUE, g);
    }

    /**
     * Adjoint of {@link #categoricalCrossentropy} for {@code yPred}: through the normalisation,
     * {@code (h − Σ h·q) / Σ yPred} with {@code h = −yTrue/c} where q is not clipped, 0 where it is.
     */
    public static Tensor categoricalCrossentropyAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return CategoricalCrossentropy.compute(yTrue, yPred, Wrt.PRED, g);
    }

    /** Mean squared error: the mean of {@code (yTrue − yPred)²} over every element (Keras's {@code MSE}). */
    @Differentiable(adjoint = {"mseAdjointTrue", "mseAdjointPred"}, shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor mse(Tensor yTrue, Tensor yPred) {
        return MeanSquaredError.compute(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #mse} for {@code yTrue}: {@code 2(yTrue − yPred)/n}. */
    public static Tensor mseAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return MeanSquaredError.compute(yTrue, yPred, Wrt.TRUE, g);
    }

    /** Adjoint of {@link #mse} for {@code yPred}: {@code 2(yPred − yTrue)/n}. */
    public static Tensor mseAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return MeanSquaredError.compute(yTrue, yPred, Wrt.PRED, g);
    }
}
