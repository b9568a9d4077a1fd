package dev.tapgrad.runtime;

import java.util.Arrays;

/**
 * Inputs and labels of the same examples, batch first: {@code x} is (N, input...) and {@code y} is
 * (N, output...), or for {@code SPARSE_CATEGORICAL_CROSSENTROPY} class ids, (N) or (N, 1), without
 * one-hot rows (an id outside [0, classes) is a {@link TapgradDataException} when training starts). The dataset shares the two tensors rather than copying them, so a large data set
 * is held once.
 *
 * <pre>{@code
 * Dataset train = Dataset.of(images, Dataset.oneHot(labels, 10));
 * Dataset sparse = Dataset.of(images, classIds);   // loss = SPARSE_CATEGORICAL_CROSSENTROPY
 * }</pre>
 */
public final class Dataset {
    private final Tensor x;
    private final Tensor y;

    private Dataset(Tensor x, Tensor y) {
        this.x = x;
        this.y = y;
    }

    /**
     * Pairs inputs with labels.
     *
     * @throws TapgradDataException if either is a scalar or their first dimensions differ
     */
    public static Dataset of(Tensor x, Tensor y) {
        if (x == null || y == null) {
            throw new NullPointerException("Dataset.of needs both x and y, got " + (x == null ? "x = null" : "y = null"));
        }
        if (x.rank() == 0 || y.rank() == 0) {
            throw new TapgradDataException("Dataset.of: " + (x.rank() == 0 ? "x" : "y")
                    + " is a scalar; both x and y need a first (example) dimension");
        }
        if (x.dim(0) != y.dim(0)) {
            throw new TapgradDataException("Dataset.of: x has " + x.dim(0) + " examples (shape "
                    + format(x.shape()) + ") but y has " + y.dim(0) + " (shape " + format(y.shape())
                    + "); both need the same first dimension");
        }
        return new Dataset(x, y);
    }

    /**
     * One-hot rows for class numbers: (N, classes) with a 1 at each label's column.
     *
     * @throws IllegalArgumentException naming the first label outside [0, classes)
     */
    public static Tensor oneHot(int[] labels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("oneHot: classes must be at least 1, got " + classes);
        }
        Tensor t = Tensor.zeros(labels.length, classes);
        float[] out = t.buffer();
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("oneHot: labels[" + i + "] = " + label + " is outside [0, "
                        + classes + "); with " + classes + " classes labels run from 0 to " + (classes - 1));
            }
            out[i * classes + label] = 1f;
        }
        return t;
    }

    /** Number of examples N. */
    public int size() {
        return x.dim(0);
    }

    /** The inputs, (N, input...); the tensor itself, not a copy. */
    public Tensor x() {
        return x;
    }

    /** The labels, (N, output...); the tensor itself, not a copy. */
    public Tensor y() {
        return y;
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " examples, x " + format(x.shape()) + ", y " + format(y.shape()) + ")";
    }

    private static String format(int[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
