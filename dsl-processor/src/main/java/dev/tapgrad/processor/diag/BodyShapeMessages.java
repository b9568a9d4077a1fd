package dev.tapgrad.processor.diag;

/**
 * Messages about shapes inside loss bodies, from the shape rules of the ops (tag BodyShape).
 * The tag that goes with each message is chosen by the caller from {@link Tag}.
 */
public final class BodyShapeMessages {
    private BodyShapeMessages() {}

    // ---- shapes in loss bodies (BodyShape) ------------------------------------------------

    /** A layer body's {@code training ? a : b} whose branches differ in shape (so would the layer's output). */
    public static String branchShapes(String training, String inference) {
        return "training ? a : b: the branches must have the same shape, so that the layer's output does not depend on"
                + " the mode; the training branch is " + training + ", the inference branch " + inference;
    }

    public static String broadcast(String callee, String a, String b, String why) {
        return callee + "(" + a + ", " + b + "): " + why;
    }

    // Loss bodies (BodyShape). Each message starts with the call as the checker sees it, tensors
    // by shape and constants as written, e.g. "sum((B, 64), 2, true)".

    public static String constantNotLiteral(String call, String what, String found) {
        return call + ": " + what + " must be an int literal such as 1 or -1, or a static final int constant, so that"
                + " Tapgrad can check shapes at compile time; found " + found;
    }

    public static String axisOutOfRange(String call, int axis, String shape, int rank) {
        return call + ": axis " + axis + " is out of range for " + shape + "; "
                + (rank == 0 ? "a scalar has no axes" : "valid axes are " + -rank + ".." + (rank - 1)
                        + " (negative axes count from the end)");
    }

    public static String expandAxisOutOfRange(String call, int axis, String shape, int rank) {
        return call + ": position " + axis + " is out of range for " + shape + "; a new axis goes at "
                + -(rank + 1) + ".." + rank + " (-1 appends it)";
    }

    public static String axisNotInArgument(String call, int axis, String shape) {
        return call + ": axis " + axis + " of the broadcast shape is not an axis of the argument " + shape
                + ", which has fewer dimensions; count from the end instead, e.g. -1";
    }

    public static String needsLastAxis(String call, String op) {
        return call + ": " + op + " works along the last axis, but its argument is a scalar ()";
    }

    public static String transposeRank(String call, String shape, int rank) {
        return call + ": transpose swaps the last two axes, but " + shape + " has " + rank
                + (rank == 1 ? "; use expandDims(x, 0) or expandDims(x, -1) first" : "");
    }

    public static String matmulRank(String call) {
        return call + ": matmul multiplies two rank-2 matrices (m, k)·(k, n) or two rank-3 batches"
                + " (b, m, k)·(b, k, n)";
    }

    public static String matmulInner(String call, String k1, String k2, String fix) {
        return call + ": inner dimensions " + k1 + " and " + k2 + " differ" + fix;
    }

    public static String matmulTransposeHint(String which, String a, String b) {
        return "; did you mean transpose(...)? " + which + " multiplies " + a + " by " + b;
    }

    public static String matmulInnerRule() {
        return "; the last dimension of the first argument must equal the second-to-last of the second";
    }

    public static String matmulBatch(String call, String b1, String b2) {
        return call + ": the leading (batch) dimensions " + b1 + " and " + b2 + " differ; a batched matmul pairs"
                + " the matrices one to one";
    }

    public static String reshapeTwoInferred(String call) {
        return call + ": only one dimension may be -1 (inferred from the size)";
    }

    public static String reshapeNegative(String call, int dim) {
        return call + ": dimension " + dim + " is negative; only -1 may stand for a dimension to infer";
    }

    public static String reshapeBatchFirst(String call, String shape, String example) {
        return call + ": " + shape + " carries the batch dimension B, which must stay first: write -1 for it, e.g. "
                + example;
    }

    public static String reshapeBatchNotFirst(String call, String shape) {
        return call + ": the batch dimension B is not the first axis of " + shape + ", so reshape cannot keep it;"
                + " transpose it back to the front first";
    }

    public static String reshapeSize(String call, String holds, String target, String targetHolds) {
        return call + ": " + holds + ", but " + target + " holds " + targetHolds;
    }

    public static String reshapeIndivisible(String call, long size, long block) {
        return call + ": " + size + " values do not split into blocks of " + block + " for the -1";
    }

    public static String shapeRuleNeedsConstant(String call, String op, String rule, String param) {
        return call + ": " + op + " declares shape = ShapeRule." + rule + " but has no " + param
                + " parameter for it: fix the op's @Differentiable";
    }
}
