package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.loss.BinaryCrossentropy;
import dev.tapgrad.runtime.loss.CategoricalCrossentropy;
import dev.tapgrad.runtime.loss.KlDivergence;
import dev.tapgrad.runtime.loss.MeanAbsoluteError;
import dev.tapgrad.runtime.loss.MeanSquaredError;
import dev.tapgrad.runtime.loss.SparseCategoricalCrossentropy;
import dev.tapgrad.runtime.loss.Wrt;

/**
 * Losses as ops, with their derivative rules and Keras's formulas and constants:
 * {@code klDivergence}, {@code categoricalCrossentropy}, {@code sparseCategoricalCrossentropy},
 * {@code binaryCrossentropy}, {@code mse}, {@code meanAbsoluteError} and {@code huber}. Each op and its adjoints
 * run the one kernel of that loss in {@code dev.tapgrad.runtime.loss}, which the built-in main
 * losses run too. Re-exported by {@code dev.tapgrad.runtime.Ops}.
 *
 * <p>Each takes {@code (yTrue, yPred)}, which broadcast together (a target distribution of shape
 * {@code (C,)} against predictions {@code (B, T, C)}); rows are all leading axes of the broadcast
 * shape, the last axis holds the classes, and the result is the scalar mean over rows, which is
 * Keras's default sum-over-batch-size reduction. Both arguments get a gradient, so either may
 * depend on a tap; the sparse crossentropy's class ids are the exception. The ops take
 * probabilities: {@code @Model(fromLogits = true)} applies to the built-in main loss only.
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

    /**
     * Keras's sparse categorical crossentropy on probabilities: {@code yTrue} holds one class id
     * per row of {@code yPred} (its shape without the last axis, or with it of size 1); per row
     * {@code −log clip(q_k, 1e-7, 1 − 1e-7)} with {@code q = yPred / Σ yPred} and k the row's id,
     * then the mean over rows. Class ids take no gradient.
     */
    @Differentiable(adjoint = {"", "sparseCategoricalCrossentropyAdjointPred"}, shape = ShapeRule.CLASS_IDS_TO_SCALAR)
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        return SparseCategoricalCrossentropy.compute(yTrue, yPred, null);
    }

    /** Adjoint of {@link #sparseCategoricalCrossentropy} for {@code yPred}, through the normalisation. */
    public static Tensor sparseCategoricalCrossentropyAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return SparseCategoricalCrossentropy.compute(yTrue, yPred, g);
    }

    /**
     * Keras's binary crossentropy on probabilities: per value {@code c = clip(yPred, 1e-7, 1 − 1e-7)},
     * {@code −(yTrue·log c + (1 − yTrue)·log(1 − c))}; the mean over the last axis, then over rows.
     */
    @Differentiable(adjoint = {"binaryCrossentropyAdjointTrue", "binaryCrossentropyAdjointPred"},
            shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred) {
        return BinaryCrossentropy.compute(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #binaryCrossentropy} for {@code yTrue}: {@code log(1 − c) − log c}. */
    public static Tensor binaryCrossentropyAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return BinaryCrossentropy.compute(yTrue, yPred, Wrt.TRUE, g);
    }

    /** Adjoint of {@link #binaryCrossentropy} for {@code yPred}: {@code (1 − y)/(1 − c) − y/c} where yPred is not clipped. */
    public static Tensor binaryCrossentropyAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return BinaryCrossentropy.compute(yTrue, yPred, Wrt.PRED, g);
    }

    /** Mean absolute error: the mean of {@code |yTrue − yPred|} over every element (Keras's {@code MAE}). */
    @Differentiable(adjoint = {"meanAbsoluteErrorAdjointTrue", "meanAbsoluteErrorAdjointPred"},
            shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred) {
        return MeanAbsoluteError.compute(MeanAbsoluteError.Kind.MAE, yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #meanAbsoluteError} for {@code yTrue}: {@code sign(yTrue − yPred)/n}, 0 where they are equal. */
    public static Tensor meanAbsoluteErrorAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return MeanAbsoluteError.compute(MeanAbsoluteError.Kind.MAE, yTrue, yPred, Wrt.TRUE, g);
    }

    /** Adjoint of {@link #meanAbsoluteError} for {@code yPred}: {@code sign(yPred − yTrue)/n}, 0 where they are equal. */
    public static Tensor meanAbsoluteErrorAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return MeanAbsoluteError.compute(MeanAbsoluteError.Kind.MAE, yTrue, yPred, Wrt.PRED, g);
    }

    /**
     * Keras's Huber loss with delta 1: per value {@code ½e²} where {@code |e| ≤ 1}, else
     * {@code |e| − ½}, e = yPred − yTrue; the mean over every element.
     */
    @Differentiable(adjoint = {"huberAdjointTrue", "huberAdjointPred"}, shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor huber(Tensor yTrue, Tensor yPred) {
        return MeanAbsoluteError.compute(MeanAbsoluteError.Kind.HUBER, yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #huber} for {@code yTrue}: {@code −e/n} within delta, {@code −sign(e)/n} beyond. */
    public static Tensor huberAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return MeanAbsoluteError.compute(MeanAbsoluteError.Kind.HUBER, yTrue, yPred, Wrt.TRUE, g);
    }

    /** Adjoint of {@link #huber} for {@code yPred}: {@code e/n} within delta, {@code sign(e)/n} beyond. */
    public static Tensor huberAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return MeanAbsoluteError.compute(MeanAbsoluteError.Kind.HUBER, yTrue, yPred, Wrt.PRED, g);
    }
}
