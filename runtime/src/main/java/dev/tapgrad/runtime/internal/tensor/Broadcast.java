package dev.tapgrad.runtime.internal.tensor;

import dev.tapgrad.runtime.Tensor;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * NumPy broadcasting for the elementwise ops of {@code dev.tapgrad.runtime.ops} and the loss kernels: the result shape of two shapes, the
 * elementwise application, and the reduction of a gradient back to an argument's shape.
 */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, aligned at the trailing dimensions. */
    public static int[] shape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = Workspace.ints(rank); // scratch: tensors copy the shapes they are made with
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast: dimension " + i + " is " + da + " and " + db);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** {@code f(a, b)} elementwise with broadcasting. */
    public static Tensor apply(Tensor a, Tensor b, DoubleBinaryOperator f) {
        float[] x = a.buffer();
        float[] y = b.buffer();
        if (a.sameShape(b)) {
            // Every value is written, and no shape array is made: the common case allocates nothing in a step.
            Tensor out = Workspace.uninitialized(a.dims());
            float[] o = out.buffer();
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) f.applyAsDouble(x[i], y[i]);
            }
            return out;
        }
        int[] shape = shape(a.dims(), b.dims());
        Tensor out = Workspace.uninitialized(shape);
        float[] o = out.buffer();
        if (o.length == 0) {
            return out;
        }
        // Row by row along the last axis, where each operand's stride is 0 or 1; the odometer over
        // the leading axes turns once per row rather than once per value.
        int rank = shape.length;
        int[] sa = strides(a.dims(), shape);
        int[] sb = strides(b.dims(), shape);
        int inner = shape[rank - 1];
        int stepA = sa[rank - 1];
        int stepB = sb[rank - 1];
        int[] idx = Workspace.ints(rank);
        for (int row = 0, off = 0; off < o.length; row++, off += inner) {
            int ia = 0;
            int ib = 0;
            for (int d = 0; d < rank - 1; d++) {
                ia += idx[d] * sa[d];
                ib += idx[d] * sb[d];
            }
            for (int j = 0; j < inner; j++, ia += stepA, ib += stepB) {
                o[off + j] = (float) f.applyAsDouble(x[ia], y[ib]);
            }
            increment(idx, shape, rank - 1);
        }
        return out;
    }

    /** Sums {@code g} (shaped like the broadcast result) over the dimensions {@code shape} was broadcast along. */
    public static Tensor reduceTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.dims(), shape)) {
            return g;
        }
        int[] full = g.dims();
        Tensor out = Workspace.zeros(shape);
        float[] o = out.buffer();
        float[] src = g.buffer();
        if (src.length == 0) {
            return out;
        }
        int rank = full.length;
        if (rank == 0) {
            o[0] += src[0];
            return out;
        }
        int[] s = strides(shape, full);
        int inner = full[rank - 1];
        int step = s[rank - 1];
        int[] idx = Workspace.ints(rank);
        for (int off = 0; off < src.length; off += inner) {
            int j = 0;
            for (int d = 0; d < rank - 1; d++) {
                j += idx[d] * s[d];
            }
            for (int i = 0; i < inner; i++, j += step) {
                o[j] += src[off + i];
            }
            increment(idx, full, rank - 1);
        }
        return out;
    }

    /** Strides of {@code shape} seen as broadcast to {@code target}: 0 along broadcast dimensions. */
    private static int[] strides(int[] shape, int[] target) {
        int[] st = Workspace.ints(target.length); // zeros: leading broadcast axes keep stride 0
        int offset = target.length - shape.length;
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d + offset] = shape[d] == 1 ? 0 : stride;
            stride *= shape[d];
        }
        return st;
    }

    /** Advances the index over the first {@code axes} axes of {@code shape}, last fastest. */
    private static void increment(int[] idx, int[] shape, int axes) {
        for (int d = axes - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
