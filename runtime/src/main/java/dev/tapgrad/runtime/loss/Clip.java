package dev.tapgrad.runtime.loss;

/**
 * The one clip the probability losses share: Keras's {@code backend.epsilon()} and what the
 * gradient does at its boundaries. A clipped value's gradient passes where the clip leaves the
 * value unchanged, boundaries included, as {@code torch.clamp} and TensorFlow's
 * {@code clip_by_value} differentiate (both pass the gradient at {@code x == lo} and
 * {@code x == hi}); outside, the clip is flat and the gradient is zero.
 */
final class Clip {
    /** Keras's {@code backend.epsilon()}: probabilities are clipped at it. */
    static final double EPSILON = 1e-7;

    private Clip() {}

    /** {@code clip(q, ε, 1 − ε)}, the crossentropy's clip. */
    static double toOpen(double q) {
        return Math.min(Math.max(q, EPSILON), 1 - EPSILON);
    }

    /** Whether {@link #toOpen} passes the gradient at {@code q}: {@code ε ≤ q ≤ 1 − ε}. */
    static boolean passesToOpen(double q) {
        return q >= EPSILON && q <= 1 - EPSILON;
    }

    /** {@code clip(v, ε, 1)}, the KL divergence's clip. */
    static double toUnit(double v) {
        return Math.min(Math.max(v, EPSILON), 1);
    }

    /** Whether {@link #toUnit} passes the gradient at {@code v}: {@code ε ≤ v ≤ 1}. */
    static boolean passesToUnit(double v) {
        return v >= EPSILON && v <= 1;
    }
}
