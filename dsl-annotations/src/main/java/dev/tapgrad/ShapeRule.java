package dev.tapgrad;

/**
 * How a {@link Differentiable} operation's result shape follows from its arguments; the processor
 * uses it to check loss bodies at compile time.
 *
 * <p>Rules that take an axis, a keep-dims flag or target dimensions read them from the op's
 * constant ({@code int}, {@code double}, {@code boolean}) arguments in parameter order, so the
 * processor can check them only when the call passes literals ({@code 1}, {@code -1},
 * {@code true}); anything else is reported. Negative axes count from the end, as in NumPy.
 */
public enum ShapeRule {
    /** The result has the shape of the first tensor argument (elementwise unary ops, {@code scale}). */
    SAME,
    /** NumPy broadcasting of the tensor arguments ({@code add}, {@code mul}, ...). */
    BROADCAST,
    /** The result is a scalar (full reductions such as {@code mean}, {@code sum}). */
    SCALAR,
    /**
     * The tensor arguments must broadcast together, as for {@link #BROADCAST}; the result is a
     * scalar (losses such as {@code mse(yTrue, yPred)}).
     */
    BROADCAST_TO_SCALAR,
    /**
     * The first tensor argument holds one class id per row of the second: its shape is the
     * second's without the last axis, or with the last axis of size 1; the result is a scalar
     * ({@code sparseCategoricalCrossentropy(yTrue, yPred)}).
     */
    CLASS_IDS_TO_SCALAR,
    /**
     * A reduction along one axis of the broadcast tensor arguments: the first constant argument is
     * the axis, which must exist in every tensor argument; a following {@code boolean} constant,
     * if the op has one, is {@code keepDims}, which keeps the axis with size 1 instead of removing
     * it ({@code sum(x, axis, keepDims)}, {@code cosineSimilarity(a, b, axis)}).
     */
    REDUCE_AXIS,
    /**
     * The shape of the first tensor argument; the first constant argument is an axis of it that
     * must exist ({@code l2Normalize(x, axis)}).
     */
    SAME_WITH_AXIS,
    /**
     * The shape of the first tensor argument, which must have at least one axis: the op works
     * along the last one ({@code softmax}, {@code logSoftmax}).
     */
    LAST_AXIS,
    /**
     * The first tensor argument with a new axis of size 1 inserted at the position given by the
     * first constant argument, which ranges over {@code -(rank + 1) .. rank} ({@code expandDims}).
     */
    EXPAND_DIMS,
    /**
     * The constant arguments are the new dimensions, with the same number of values as the first
     * tensor argument. One of them may be {@code -1}, inferred from the size; for a batched tensor
     * it must be the first one and stands for the batch dimension {@code B} ({@code reshape}).
     */
    RESHAPE,
    /** The first tensor argument with its last two axes swapped; it needs rank 2 or more ({@code transpose}). */
    TRANSPOSE,
    /**
     * A matrix product: {@code (m, k) · (k, n) → (m, n)}, or a batch of them,
     * {@code (b, m, k) · (b, k, n) → (b, m, n)} ({@code matmul}).
     */
    MATMUL
}
