package dev.tapgrad.runtime;

import java.util.Arrays;
import java.util.Random;

/**
 * A dense float32 array with a shape: row-major, batch first, images channels last (NHWC, as in
 * Keras). A rank-0 tensor is a scalar. The shape is fixed; the values are mutable so that kernels
 * can write into preallocated buffers.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // (2, 3)
 * x.shape();    // [2, 3]
 * x.toArray();  // a copy of the six values
 * }</pre>
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * A tensor over a copy of {@code data} with the given shape.
     *
     * @throws IllegalArgumentException if a dimension is negative or the sizes disagree
     */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        long n = checkedSize(s);
        if (data.length != n) {
            throw new IllegalArgumentException(
                    "Tensor.of: shape " + Arrays.toString(s) + " holds " + n + " values but data has "
                            + data.length + "; pass a shape whose product is " + data.length);
        }
        return new Tensor(data.clone(), s);
    }

    /** A tensor that uses {@code data} directly, without copying (for kernels and readers). */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        if (data.length != checkedSize(s)) {
            throw new IllegalArgumentException(
                    "Tensor.wrap: shape " + Arrays.toString(s) + " does not match " + data.length + " values");
        }
        return new Tensor(data, s);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Math.toIntExact(checkedSize(s))], s);
    }

    /** A rank-0 tensor holding {@code value}. */
    public static Tensor scalar(double value) {
        return new Tensor(new float[] {(float) value}, new int[0]);
    }

    /** A tensor of standard normal samples from {@code random}; reproducible for a seeded Random. */
    public static Tensor randn(Random random, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) random.nextGaussian();
        }
        return t;
    }

    private static long checkedSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The shape itself, not a copy, for ops and kernels that must not allocate in a training step
     * (as {@link #buffer()} is the values themselves): never mutate it; {@link #shape()} gives a copy.
     */
    public int[] dims() {
        return shape;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** Number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /** A copy of the values in row-major order. */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * The backing array itself, not a copy: kernels read and write it in place. Writing to it
     * changes this tensor.
     */
    public float[] buffer() {
        return data;
    }

    /** The value of a tensor with exactly one element (a scalar or any shape of size 1). */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a tensor with one value, but shape is " + Arrays.toString(shape));
        }
        return data[0];
    }

    /** The value at a multi-dimensional index. */
    public float get(int... index) {
        return data[offset(index)];
    }

    /** Sets the value at a multi-dimensional index. */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(
                    "index " + Arrays.toString(index) + " has " + index.length + " dimensions, tensor has " + shape.length);
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Whether both tensors have the same shape. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** Sets every value to {@code value}. */
    public void fill(float value) {
        Arrays.fill(data, value);
    }

    /** Copies {@code source}'s values into this tensor; the sizes must match. */
    public void copyFrom(Tensor source) {
        if (source.data.length != data.length) {
            throw new IllegalArgumentException("copyFrom: " + Arrays.toString(source.shape) + " into " + Arrays.toString(shape));
        }
        System.arraycopy(source.data, 0, data, 0, data.length);
    }

    /** Adds {@code other}'s values to this tensor in place (gradient accumulation); shapes must match. */
    public void addInPlace(Tensor other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException(
                    "addInPlace: shapes " + Arrays.toString(shape) + " and " + Arrays.toString(other.shape) + " differ");
        }
        float[] o = other.data;
        for (int i = 0; i < data.length; i++) {
            data[i] += o[i];
        }
    }

    /** A new tensor holding {@code this + other} (same shapes); neither argument changes. */
    public Tensor plus(Tensor other) {
        Tensor out = copy();
        out.addInPlace(other);
        return out;
    }

    /**
     * A tensor over the same values with another shape of the same size: not a copy, so writing
     * through either changes both (a flatten layer's output is a view of its input).
     *
     * @throws IllegalArgumentException if a dimension is negative or the sizes differ
     */
    public Tensor view(int... newShape) {
        int[] s = newShape.clone();
        if (checkedSize(s) != data.length) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(s) + " does not hold the "
                    + data.length + " values of " + Arrays.toString(shape));
        }
        return new Tensor(data, s);
    }

    /** A copy with the same values and a new shape of the same size. */
    public Tensor reshape(int... newShape) {
        return of(data, newShape);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(data[i]);
        }
        return sb.append(data.length > n ? ", ...]" : "]").toString();
    }
}
