package dev.tapgrad.runtime.loss;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Broadcast;
import dev.tapgrad.runtime.internal.tensor.OpSupport;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import java.util.Arrays;

/**
 * The two arguments of a loss (yTrue, yPred) broadcast to one shape of {@code size} values, with
 * its rows and classes (the last axis). An argument whose values repeat along the broadcast shape (its own shape,
 * leading 1s aside, is the trailing part of it: a constant target distribution against a batch)
 * is not copied: {@code t} or {@code p} is its buffer, read with index {@code i mod period}.
 * Any other broadcast is materialised (period = size).
 */
final class LossPair {
    /** One per thread, refilled by every {@link #of}: a loss holds one pair at a time, and a step allocates none. */
    private static final ThreadLocal<LossPair> REUSED = ThreadLocal.withInitial(LossPair::new);

    Tensor yTrue;
    Tensor yPred;
    float[] t;
    int tPeriod;
    float[] p;
    int pPeriod;
    int[] shape;
    int size;
    int rows;
    int classes;

    static LossPair of(String op, Tensor yTrue, Tensor yPred, boolean needsClasses) {
        int[] shape;
        try {
            shape = Broadcast.shape(yTrue.dims(), yPred.dims());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + "(yTrue " + Arrays.toString(yTrue.shape()) + ", yPred "
                    + Arrays.toString(yPred.shape()) + "): the shapes do not broadcast", e);
        }
        if (needsClasses && shape.length == 0) {
            throw new IllegalArgumentException(op + " needs a class axis, but yTrue and yPred are scalars");
        }
        int classes = shape.length == 0 ? 1 : shape[shape.length - 1];
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        int rows = classes == 0 ? 0 : size / classes;
        Tensor t = repeats(yTrue, shape) ? yTrue : OpSupport.broadcastTo(yTrue, shape);
        Tensor p = repeats(yPred, shape) ? yPred : OpSupport.broadcastTo(yPred, shape);
        LossPair pair = REUSED.get();
        pair.yTrue = yTrue;
        pair.yPred = yPred;
        pair.t = t.buffer();
        pair.tPeriod = Math.max(1, t.size());
        pair.p = p.buffer();
        pair.pPeriod = Math.max(1, p.size());
        pair.shape = shape;
        pair.size = size;
        pair.rows = Math.max(rows, 1);
        pair.classes = classes;
        return pair;
    }

    /** Whether x's values, repeated, are x broadcast to {@code shape}. */
    private static boolean repeats(Tensor x, int[] shape) {
        int[] own = x.dims();
        int lead = 0;
        while (lead < own.length && own[lead] == 1) {
            lead++;
        }
        int n = own.length - lead;
        if (n > shape.length || x.size() == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (own[lead + i] != shape[shape.length - n + i]) {
                return false;
            }
        }
        return true;
    }

    /** The argument's values at every position of the broadcast shape. */
    float[] full(float[] values, int period) {
        if (period == size || size == 0) {
            return values;
        }
        float[] out = Workspace.floats(size);
        for (int i = 0; i < size; i += period) {
            System.arraycopy(values, 0, out, i, period);
        }
        return out;
    }

    /** The gradient for one argument, computed on the broadcast shape, summed back to that argument's shape. */
    Tensor reduce(Tensor grad, Wrt wrt) {
        return Broadcast.reduceTo(grad, (wrt == Wrt.TRUE ? yTrue : yPred).dims());
    }

    /** The main losses' argument check: same shapes, a gradient buffer like yPred, at least one row. */
    static void checkSameShapes(String loss, Tensor yTrue, Tensor yPred, Tensor grad) {
        if (!yTrue.sameShape(yPred)) {
            throw new IllegalArgumentException(loss + ": labels " + Arrays.toString(yTrue.shape())
                    + " and predictions " + Arrays.toString(yPred.shape()) + " need the same shape");
        }
        if (grad != null && !grad.sameShape(yPred)) {
            throw new IllegalArgumentException(loss + ": gradient buffer " + Arrays.toString(grad.shape())
                    + " must have the predictions' shape " + Arrays.toString(yPred.shape()));
        }
        if (yPred.rank() == 0 || yPred.size() == 0) {
            throw new IllegalArgumentException(loss + ": predictions " + Arrays.toString(yPred.shape())
                    + " need at least one row with a last (class or feature) axis");
        }
    }
}
