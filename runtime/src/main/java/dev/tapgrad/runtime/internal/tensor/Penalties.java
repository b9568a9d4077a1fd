package dev.tapgrad.runtime.internal.tensor;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.math.SumMath;

/**
 * L1 and L2 penalties on a whole tensor, {@code mean(abs(x))}, {@code sum(abs(x))},
 * {@code mean(square(x))} and {@code sum(square(x))}, with their gradients added straight into a
 * gradient buffer: one pass over x forward and one backward, where the op-by-op reverse pass makes
 * four temporaries of x's size. The processor emits these for an aux loss whose body is exactly
 * one of these four (the common activity and weight regularizers, as Keras's {@code l1} and
 * {@code l2}); they give the op-by-op path's values bit for bit (same products, the same
 * fixed-block sums in double, same roundings to float), which the tests check.
 */
public final class Penalties {
    private Penalties() {}

    /** {@code mean(abs(x))}, as {@code Ops.mean(Ops.abs(x)).item()}. */
    public static double meanAbs(Tensor x) {
        return mean(sum(x, false), x);
    }

    /** {@code sum(abs(x))}, as {@code Ops.sum(Ops.abs(x)).item()}. */
    public static double sumAbs(Tensor x) {
        return (float) sum(x, false);
    }

    /** {@code mean(square(x))}, as {@code Ops.mean(Ops.square(x)).item()}. */
    public static double meanSquare(Tensor x) {
        return mean(sum(x, true), x);
    }

    /** {@code sum(square(x))}, as {@code Ops.sum(Ops.square(x)).item()}. */
    public static double sumSquare(Tensor x) {
        return (float) sum(x, true);
    }

    /** {@code grad += weight · ∂ mean(abs(x)) / ∂x}: {@code weight/n · sign(x)}, with sign(±0) = ±0. */
    public static void addMeanAbsGradient(Tensor x, double weight, Tensor grad) {
        addAbs(x, perValue(weight, x), grad);
    }

    /** {@code grad += weight · sign(x)}, with sign(±0) = ±0. */
    public static void addSumAbsGradient(Tensor x, double weight, Tensor grad) {
        addAbs(x, (float) weight, grad);
    }

    /** {@code grad += weight · ∂ mean(square(x)) / ∂x}: {@code 2x · weight/n}. */
    public static void addMeanSquareGradient(Tensor x, double weight, Tensor grad) {
        addSquare(x, perValue(weight, x), grad);
    }

    /** {@code grad += 2x · weight}. */
    public static void addSumSquareGradient(Tensor x, double weight, Tensor grad) {
        addSquare(x, (float) weight, grad);
    }

    /** The float that Ops.meanAdjoint spreads: the float weight divided by n in double, rounded. */
    private static float perValue(double weight, Tensor x) {
        return (float) ((float) weight / (double) Math.max(1, x.size()));
    }

    /** Ops.mean of the float sum: the scalar tensor holds the sum as a float, the mean as a float. */
    private static double mean(double sum, Tensor x) {
        return (float) ((float) sum / (double) Math.max(1, x.size()));
    }

    /** Σ|x| or Σx² (each term a float, as Ops.abs and Ops.square store it), summed as Ops.sum sums (see {@link Sums}). */
    private static double sum(Tensor x, boolean square) {
        return Sums.sum(x.buffer(), square ? SumMath.SQUARE : SumMath.ABS);
    }

    /** {@code grad += c · sign(x)}, the bits of Ops.absAdjoint's product (see there) added in place. */
    private static void addAbs(Tensor x, float c, Tensor grad) {
        check(x, grad);
        Sums.addAbs(x.buffer(), grad.buffer(), c);
    }

    /** {@code grad += 2x · c}, as Ops.squareAdjoint's float product. */
    private static void addSquare(Tensor x, float c, Tensor grad) {
        check(x, grad);
        Sums.addSquare(x.buffer(), grad.buffer(), c);
    }

    private static void check(Tensor x, Tensor grad) {
        if (!x.sameShape(grad)) {
            throw new IllegalArgumentException("Penalties: the gradient " + java.util.Arrays.toString(grad.shape())
                    + " must have the shape of x " + java.util.Arrays.toString(x.shape()));
        }
    }
}
