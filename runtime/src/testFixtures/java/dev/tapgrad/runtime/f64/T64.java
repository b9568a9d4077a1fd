package dev.tapgrad.runtime.f64;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A row-major double tensor for the float64 test references: values and a shape, nothing else.
 * Independent of the runtime's kernels on purpose, so a reference cannot share a kernel's mistake.
 */
public record T64(double[] v, int[] shape) {
    /** The values of a float tensor, exactly (every float is a double). */
    public static T64 of(Tensor t) {
        return of(t.buffer(), t.shape());
    }

    /** Exact double copies of {@code values} with the given shape. */
    public static T64 of(float[] values, int... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new T64(d, shape.clone());
    }

    /** A scalar. */
    public static T64 scalar(double x) {
        return new T64(new double[] {x}, new int[0]);
    }

    public int size() {
        return v.length;
    }

    public int rank() {
        return shape.length;
    }

    /** The only value of a one-element tensor. */
    public double item() {
        if (v.length != 1) {
            throw new IllegalStateException("not a scalar: " + Arrays.toString(shape));
        }
        return v[0];
    }

    /** The same values with another shape (one -1 is inferred). */
    public T64 reshape(int... dims) {
        int[] s = dims.clone();
        int known = 1;
        int free = -1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                free = i;
            } else {
                known *= s[i];
            }
        }
        if (free >= 0) {
            s[free] = v.length / known;
        }
        return new T64(v, s);
    }

    /** {@code f} applied to every value. */
    public T64 map(DoubleUnaryOperator f) {
        double[] o = new double[v.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = f.applyAsDouble(v[i]);
        }
        return new T64(o, shape);
    }

    /** {@code f(a, b)} with NumPy broadcasting. */
    public static T64 zip(T64 a, T64 b, DoubleBinaryOperator f) {
        int r = Math.max(a.rank(), b.rank());
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int da = dim(a.shape, i - r + a.rank());
            int db = dim(b.shape, i - r + b.rank());
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape));
            }
            s[i] = Math.max(da, db);
        }
        int n = 1;
        for (int d : s) {
            n *= d;
        }
        double[] o = new double[n];
        int[] idx = new int[r];
        for (int k = 0; k < n; k++) {
            int rem = k;
            for (int i = r - 1; i >= 0; i--) {
                idx[i] = rem % s[i];
                rem /= s[i];
            }
            o[k] = f.applyAsDouble(a.v[flat(a.shape, idx, r)], b.v[flat(b.shape, idx, r)]);
        }
        return new T64(o, s);
    }

    private static int dim(int[] shape, int i) {
        return i < 0 ? 1 : shape[i];
    }

    /** The flat index in {@code shape} of the broadcast index {@code idx} (of rank r). */
    private static int flat(int[] shape, int[] idx, int r) {
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            int j = idx[i + r - shape.length];
            k = k * shape[i] + (shape[i] == 1 ? 0 : j);
        }
        return k;
    }

    /** Sizes before, along and after {@code axis} (negative counts from the end). */
    public int[] split(int axis) {
        int a = axis < 0 ? axis + rank() : axis;
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < a; i++) {
            outer *= shape[i];
        }
        for (int i = a + 1; i < rank(); i++) {
            inner *= shape[i];
        }
        return new int[] {outer, shape[a], inner, a};
    }

    /** The shape with {@code axis} removed, or set to 1 when {@code keep}. */
    public int[] reduced(int axis, boolean keep) {
        int a = split(axis)[3];
        int[] s = new int[keep ? rank() : rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (i == a) {
                if (keep) {
                    s[j++] = 1;
                }
            } else {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    /** The double values rounded to float, in the float tensor's shape. */
    public Tensor toTensor() {
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.wrap(f, shape.clone());
    }
}
