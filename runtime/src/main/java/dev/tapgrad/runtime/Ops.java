package dev.tapgrad.runtime;

import dev.tapgrad.Reexport;
import dev.tapgrad.runtime.ops.Activations;
import dev.tapgrad.runtime.ops.Arithmetic;
import dev.tapgrad.runtime.ops.ElementwiseMath;
import dev.tapgrad.runtime.ops.LinearAlgebra;
import dev.tapgrad.runtime.ops.Losses;
import dev.tapgrad.runtime.ops.Probability;
import dev.tapgrad.runtime.ops.RandomDraws;
import dev.tapgrad.runtime.ops.Reductions;
import dev.tapgrad.runtime.ops.Shapes;

/**
 * The differentiable operations that loss bodies are written in, under one static import
 * ({@code import static dev.tapgrad.runtime.Ops.*}). {@code Ops} is a facade: each method calls the
 * op of the same name in {@code dev.tapgrad.runtime.ops}, where the op is defined with its
 * derivative rule beside it, and says so with {@link Reexport}. The processor follows that to the
 * op, so generated code calls {@code ElementwiseMath.abs} and {@code ElementwiseMath.absAdjoint}
 * whether a body wrote {@code abs(x)}, {@code Ops.abs(x)} or {@code ElementwiseMath.abs(x)}. Ops
 * run eagerly too, which is how the user's loss methods evaluate outside training.
 *
 * <ul>
 *   <li>{@link Arithmetic}: {@code neg}, {@code scale}, {@code add}, {@code sub}, {@code mul},
 *       {@code div};
 *   <li>{@link ElementwiseMath}: {@code abs}, {@code square}, {@code exp}, {@code log},
 *       {@code sqrt}, {@code pow}, {@code clip};
 *   <li>{@link Activations}: {@code relu}, {@code sigmoid}, {@code tanh}, {@code softplus},
 *       {@code elu}, {@code selu}, {@code silu}, {@code gelu}, {@code leakyRelu};
 *   <li>{@link RandomDraws}: {@code randomNormal}, {@code randomUniform} (no gradient; the graph's
 *       seeded generator);
 *   <li>{@link Reductions}: {@code sum}, {@code mean}, {@code max}, {@code min}, of everything or
 *       along an axis;
 *   <li>{@link Shapes}: {@code expandDims}, {@code reshape};
 *   <li>{@link LinearAlgebra}: {@code transpose}, {@code matmul}, {@code l2Normalize},
 *       {@code cosineSimilarity};
 *   <li>{@link Probability}: {@code softmax}, {@code logSoftmax};
 *   <li>{@link Losses}: {@code klDivergence}, {@code categoricalCrossentropy},
 *       {@code sparseCategoricalCrossentropy}, {@code binaryCrossentropy}, {@code mse},
 *       {@code meanAbsoluteError}, {@code huber}.
 * </ul>
 *
 * <p>Derivatives match PyTorch at kinks: {@code abs'(0) = 0}; {@code clip} passes the gradient on
 * the closed interval; {@code max} and {@code min} split it evenly among ties.
 */
public final class Ops {
    private Ops() {}

    // ---- Arithmetic -------------------------------------------------------------------

    /** Elementwise negation. */
    @Reexport(Arithmetic.class)
    public static Tensor neg(Tensor x) {
        return Arithmetic.neg(x);
    }

    /** {@code factor · x}, with a constant factor. */
    @Reexport(Arithmetic.class)
    public static Tensor scale(double factor, Tensor x) {
        return Arithmetic.scale(factor, x);
    }

    /** Elementwise {@code a + b} with NumPy broadcasting. */
    @Reexport(Arithmetic.class)
    public static Tensor add(Tensor a, Tensor b) {
        return Arithmetic.add(a, b);
    }

    /** Elementwise {@code a - b} with NumPy broadcasting. */
    @Reexport(Arithmetic.class)
    public static Tensor sub(Tensor a, Tensor b) {
        return Arithmetic.sub(a, b);
    }

    /** Elementwise {@code a · b} with NumPy broadcasting. */
    @Reexport(Arithmetic.class)
    public static Tensor mul(Tensor a, Tensor b) {
        return Arithmetic.mul(a, b);
    }

    /** Elementwise {@code a / b} with NumPy broadcasting. */
    @Reexport(Arithmetic.class)
    public static Tensor div(Tensor a, Tensor b) {
        return Arithmetic.div(a, b);
    }

    // ---- ElementwiseMath --------------------------------------------------------------

    /** Elementwise absolute value. */
    @Reexport(ElementwiseMath.class)
    public static Tensor abs(Tensor x) {
        return ElementwiseMath.abs(x);
    }

    /** Elementwise square. */
    @Reexport(ElementwiseMath.class)
    public static Tensor square(Tensor x) {
        return ElementwiseMath.square(x);
    }

    /** Elementwise {@code eˣ}. */
    @Reexport(ElementwiseMath.class)
    public static Tensor exp(Tensor x) {
        return ElementwiseMath.exp(x);
    }

    /** Elementwise natural logarithm ({@code -∞} at 0, NaN below). */
    @Reexport(ElementwiseMath.class)
    public static Tensor log(Tensor x) {
        return ElementwiseMath.log(x);
    }

    /** Elementwise square root (NaN below 0). */
    @Reexport(ElementwiseMath.class)
    public static Tensor sqrt(Tensor x) {
        return ElementwiseMath.sqrt(x);
    }

    /** Elementwise {@code xᵖ} with a constant exponent (NaN for negative x and a non-integer p). */
    @Reexport(ElementwiseMath.class)
    public static Tensor pow(Tensor x, double p) {
        return ElementwiseMath.pow(x, p);
    }

    /**
     * Elementwise {@code min(max(x, lo), hi)}, as {@code torch.clamp}.
     *
     * @throws IllegalArgumentException if {@code lo > hi} or either is NaN
     */
    @Reexport(ElementwiseMath.class)
    public static Tensor clip(Tensor x, double lo, double hi) {
        return ElementwiseMath.clip(x, lo, hi);
    }

    // ---- Activations ------------------------------------------------------------------

    /** Elementwise {@code max(x, 0)}; its derivative at 0 is 0, as in PyTorch. */
    @Reexport(Activations.class)
    public static Tensor relu(Tensor x) {
        return Activations.relu(x);
    }

    /** Elementwise logistic function {@code 1 / (1 + e⁻ˣ)}. */
    @Reexport(Activations.class)
    public static Tensor sigmoid(Tensor x) {
        return Activations.sigmoid(x);
    }

    /** Elementwise hyperbolic tangent. */
    @Reexport(Activations.class)
    public static Tensor tanh(Tensor x) {
        return Activations.tanh(x);
    }

    /** Elementwise {@code log(1 + eˣ)}, computed without overflow. */
    @Reexport(Activations.class)
    public static Tensor softplus(Tensor x) {
        return Activations.softplus(x);
    }

    /** Elementwise {@code x > 0 ? x : eˣ − 1} (Keras's {@code elu}, alpha 1). */
    @Reexport(Activations.class)
    public static Tensor elu(Tensor x) {
        return Activations.elu(x);
    }

    /** Elementwise scaled ELU with Keras's and PyTorch's constants. */
    @Reexport(Activations.class)
    public static Tensor selu(Tensor x) {
        return Activations.selu(x);
    }

    /** Elementwise {@code x · sigmoid(x)} (swish). */
    @Reexport(Activations.class)
    public static Tensor silu(Tensor x) {
        return Activations.silu(x);
    }

    /** Elementwise exact GELU, {@code 0.5 · x · (1 + erf(x / √2))} (Keras's and PyTorch's default). */
    @Reexport(Activations.class)
    public static Tensor gelu(Tensor x) {
        return Activations.gelu(x);
    }

    /** Elementwise {@code x > 0 ? x : 0.2 · x} (Keras's {@code leaky_relu}). */
    @Reexport(Activations.class)
    public static Tensor leakyRelu(Tensor x) {
        return Activations.leakyRelu(x);
    }

    // ---- RandomDraws ------------------------------------------------------------------

    /** Standard normal numbers shaped like {@code like}, from the graph's seeded generator; no gradient. */
    @Reexport(RandomDraws.class)
    public static Tensor randomNormal(Tensor like) {
        return RandomDraws.randomNormal(like);
    }

    /** Numbers uniform in [0, 1) shaped like {@code like}, from the graph's seeded generator; no gradient. */
    @Reexport(RandomDraws.class)
    public static Tensor randomUniform(Tensor like) {
        return RandomDraws.randomUniform(like);
    }

    // ---- Reductions -------------------------------------------------------------------

    /** Sum of every value, as a scalar (accumulated in double). */
    @Reexport(Reductions.class)
    public static Tensor sum(Tensor x) {
        return Reductions.sum(x);
    }

    /** Mean of every value, as a scalar (accumulated in double). */
    @Reexport(Reductions.class)
    public static Tensor mean(Tensor x) {
        return Reductions.mean(x);
    }

    /** The largest value, as a scalar. */
    @Reexport(Reductions.class)
    public static Tensor max(Tensor x) {
        return Reductions.max(x);
    }

    /** The smallest value, as a scalar. */
    @Reexport(Reductions.class)
    public static Tensor min(Tensor x) {
        return Reductions.min(x);
    }

    /** Sum along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Reexport(Reductions.class)
    public static Tensor sum(Tensor x, int axis, boolean keepDims) {
        return Reductions.sum(x, axis, keepDims);
    }

    /** Sum along {@code axis}, which is removed. */
    @Reexport(Reductions.class)
    public static Tensor sum(Tensor x, int axis) {
        return Reductions.sum(x, axis);
    }

    /** Mean along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Reexport(Reductions.class)
    public static Tensor mean(Tensor x, int axis, boolean keepDims) {
        return Reductions.mean(x, axis, keepDims);
    }

    /** Mean along {@code axis}, which is removed. */
    @Reexport(Reductions.class)
    public static Tensor mean(Tensor x, int axis) {
        return Reductions.mean(x, axis);
    }

    /** Maximum along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Reexport(Reductions.class)
    public static Tensor max(Tensor x, int axis, boolean keepDims) {
        return Reductions.max(x, axis, keepDims);
    }

    /** Maximum along {@code axis}, which is removed. */
    @Reexport(Reductions.class)
    public static Tensor max(Tensor x, int axis) {
        return Reductions.max(x, axis);
    }

    /** Minimum along {@code axis}, which is kept with size 1 when {@code keepDims}. */
    @Reexport(Reductions.class)
    public static Tensor min(Tensor x, int axis, boolean keepDims) {
        return Reductions.min(x, axis, keepDims);
    }

    /** Minimum along {@code axis}, which is removed. */
    @Reexport(Reductions.class)
    public static Tensor min(Tensor x, int axis) {
        return Reductions.min(x, axis);
    }

    // ---- Shapes -----------------------------------------------------------------------

    /** {@code x} with a new axis of size 1 at {@code axis} ({@code -1} appends one), as {@code torch.unsqueeze}. */
    @Reexport(Shapes.class)
    public static Tensor expandDims(Tensor x, int axis) {
        return Shapes.expandDims(x, axis);
    }

    /** {@code x} as a rank-1 tensor of {@code d0} values ({@code -1}: all of them). */
    @Reexport(Shapes.class)
    public static Tensor reshape(Tensor x, int d0) {
        return Shapes.reshape(x, d0);
    }

    /** {@code x} as {@code (d0, d1)}; one of them may be {@code -1}. */
    @Reexport(Shapes.class)
    public static Tensor reshape(Tensor x, int d0, int d1) {
        return Shapes.reshape(x, d0, d1);
    }

    /** {@code x} as {@code (d0, d1, d2)}; one of them may be {@code -1}. */
    @Reexport(Shapes.class)
    public static Tensor reshape(Tensor x, int d0, int d1, int d2) {
        return Shapes.reshape(x, d0, d1, d2);
    }

    // ---- LinearAlgebra ----------------------------------------------------------------

    /** {@code x} with its last two axes swapped: {@code (..., m, n) → (..., n, m)}. */
    @Reexport(LinearAlgebra.class)
    public static Tensor transpose(Tensor x) {
        return LinearAlgebra.transpose(x);
    }

    /**
     * The matrix product {@code (m, k) · (k, n) → (m, n)}, or per leading index {@code (b, m, k) · (b, k, n)}.
     *
     * @throws IllegalArgumentException if the ranks are not both 2 or both 3, or the dimensions disagree
     */
    @Reexport(LinearAlgebra.class)
    public static Tensor matmul(Tensor a, Tensor b) {
        return LinearAlgebra.matmul(a, b);
    }

    /** Keras's {@code l2_normalize}: {@code x / √max(Σ x², 1e-12)} summed along {@code axis}; zero stays zero. */
    @Reexport(LinearAlgebra.class)
    public static Tensor l2Normalize(Tensor x, int axis) {
        return LinearAlgebra.l2Normalize(x, axis);
    }

    /**
     * Cosine similarity along {@code axis} (removed), Keras's {@code Σ l2Normalize(a, axis) · l2Normalize(b, axis)};
     * the arguments broadcast (with differing ranks pass a negative axis). Keras's {@code CosineSimilarity}
     * loss is its negative: {@code neg(mean(cosineSimilarity(yTrue, yPred, -1)))}.
     */
    @Reexport(LinearAlgebra.class)
    public static Tensor cosineSimilarity(Tensor a, Tensor b, int axis) {
        return LinearAlgebra.cosineSimilarity(a, b, axis);
    }

    // ---- Probability ------------------------------------------------------------------

    /** Softmax over the last axis, computed stably ({@code exp(x − max)} normalised). */
    @Reexport(Probability.class)
    public static Tensor softmax(Tensor x) {
        return Probability.softmax(x);
    }

    /** Log-softmax over the last axis: {@code x − max − log Σ exp(x − max)}. */
    @Reexport(Probability.class)
    public static Tensor logSoftmax(Tensor x) {
        return Probability.logSoftmax(x);
    }

    // ---- Losses -----------------------------------------------------------------------

    /**
     * Keras's {@code KLDivergence} loss: per row {@code Σ t·log(t / p)} with {@code t = clip(yTrue,
     * 1e-7, 1)} and {@code p = clip(yPred, 1e-7, 1)}, then the mean over rows. As in Keras the
     * factor is the clipped {@code t}, so a zero target adds {@code 1e-7·log(1e-7/p)}, not 0.
     */
    @Reexport(Losses.class)
    public static Tensor klDivergence(Tensor yTrue, Tensor yPred) {
        return Losses.klDivergence(yTrue, yPred);
    }

    /** Keras's categorical crossentropy: per row {@code −Σ yTrue·log clip(yPred / Σ yPred, 1e-7, 1 − 1e-7)}, then the mean. */
    @Reexport(Losses.class)
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        return Losses.categoricalCrossentropy(yTrue, yPred);
    }

    /** Mean squared error: the mean of {@code (yTrue − yPred)²} over every element (Keras's {@code MSE}). */
    @Reexport(Losses.class)
    public static Tensor mse(Tensor yTrue, Tensor yPred) {
        return Losses.mse(yTrue, yPred);
    }

    /**
     * Keras's sparse categorical crossentropy: {@code yTrue} holds one class id per row of {@code yPred};
     * per row {@code −log clip(q_k, 1e-7, 1 − 1e-7)}, q = yPred renormalised, then the mean over rows.
     */
    @Reexport(Losses.class)
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        return Losses.sparseCategoricalCrossentropy(yTrue, yPred);
    }

    /** Keras's binary crossentropy on probabilities, clipped to [1e-7, 1 − 1e-7]; the mean over every element. */
    @Reexport(Losses.class)
    public static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred) {
        return Losses.binaryCrossentropy(yTrue, yPred);
    }

    /** Mean absolute error: the mean of {@code |yTrue − yPred|} over every element (Keras's {@code MAE}). */
    @Reexport(Losses.class)
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred) {
        return Losses.meanAbsoluteError(yTrue, yPred);
    }

    /** Keras's Huber loss with delta 1, the mean over every element. */
    @Reexport(Losses.class)
    public static Tensor huber(Tensor yTrue, Tensor yPred) {
        return Losses.huber(yTrue, yPred);
    }
}
