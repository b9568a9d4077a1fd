package dev.tapgrad.runtime.train;

import dev.tapgrad.LossKind;
import dev.tapgrad.runtime.TapgradDataException;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.math.ParameterMath;
import dev.tapgrad.runtime.train.CompiledGraph;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks that data fits a model before anything runs: shapes against the model's input and output
 * shapes, example counts, NaN and infinity, and labels the main loss can use. Each failure is a
 * {@link TapgradDataException} naming the model, the data, what was expected and what was found.
 */
public final class DataChecks {
    /** Row sums of categorical labels may be off by float rounding, not by more. */
    private static final double SUM_TOLERANCE = 1e-3;

    private DataChecks() {}

    /**
     * Checks inputs and labels for {@code g}.
     *
     * @param what the data's role in messages, e.g. "training data"
     */
    public static void check(CompiledGraph g, Tensor x, Tensor y, String what) {
        checkInputShape(g, x, what);
        if (y.rank() == 0) {
            throw error(what, g, "y is a scalar but " + g.modelName() + " needs one label per example, of shape "
                    + format(g.outputShape()));
        }
        if (x.dim(0) != y.dim(0)) {
            throw error(what, g, "x has " + x.dim(0) + " examples but y has " + y.dim(0) + " (x " + format(x.shape())
                    + ", y " + format(y.shape()) + "); they need the same first dimension");
        }
        checkLabelShape(g, y, what);
        if (x.dim(0) == 0) {
            throw error(what, g, "there are no examples (x has shape " + format(x.shape()) + ")");
        }
        checkFinite(g, x, "x", what);
        checkFinite(g, y, "y", what);
        if (g.lossKind() == LossKind.CATEGORICAL_CROSSENTROPY) {
            checkCategorical(g, y, what);
        }
        if (g.lossKind() == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
            checkClassIds(g, y, what);
        }
    }

    /** Checks that {@code x} is a batch of examples of the model's input shape. */
    public static void checkInputShape(CompiledGraph g, Tensor x, String what) {
        int[] in = g.inputShape();
        if (x.rank() == 0) {
            throw error(what, g, "x is a scalar but " + g.modelName() + " needs a batch of inputs of shape (N, "
                    + join(in) + ")");
        }
        int[] perExample = Arrays.copyOfRange(x.shape(), 1, x.rank());
        if (Arrays.equals(perExample, in)) {
            return;
        }
        int n = x.dim(0);
        if (product(perExample) == product(in)) {
            throw error(what, g, "x has shape " + format(x.shape()) + ", " + describe(perExample) + " per example, but "
                    + g.modelName() + "'s input is " + format(in) + ": reshape x to (" + n + ", " + join(in) + ")");
        }
        throw error(what, g, "x has shape " + format(x.shape()) + ", " + describe(perExample) + " per example, but "
                + g.modelName() + "'s input is " + format(in) + ": x should have shape (" + n + ", " + join(in) + ")");
    }

    private static void checkLabelShape(CompiledGraph g, Tensor y, String what) {
        int[] out = g.outputShape();
        int[] perExample = Arrays.copyOfRange(y.shape(), 1, y.rank());
        if (g.lossKind() == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY && out.length >= 1) {
            int[] ids = Arrays.copyOf(out, out.length - 1);
            int[] idsWithOne = out.clone();
            idsWithOne[out.length - 1] = 1;
            if (Arrays.equals(perExample, ids) || Arrays.equals(perExample, idsWithOne)) {
                return;
            }
            throw error(what, g, "labels are " + format(perExample) + " per example but sparse_categorical_crossentropy"
                    + " needs one class id per row of " + g.modelName() + "'s output " + format(out) + ": y should have"
                    + " shape (" + join(withBatch(y.dim(0), ids)) + ") or (" + join(withBatch(y.dim(0), idsWithOne))
                    + "), not " + format(y.shape()) + (perExample.length == out.length && perExample.length > 0
                            && perExample[out.length - 1] == out[out.length - 1]
                            ? " (one-hot rows go with loss = CATEGORICAL_CROSSENTROPY)" : ""));
        }
        if (Arrays.equals(perExample, out)) {
            return;
        }
        String expected = " (y has shape " + format(y.shape()) + ", expected (" + y.dim(0) + ", " + join(out) + "))";
        if (out.length == 1 && perExample.length == 1) {
            throw error(what, g, "labels have " + perExample[0] + " columns but " + g.modelName() + "'s output has "
                    + out[0] + " units" + expected);
        }
        if (perExample.length == 0 && out.length == 1 && out[0] > 1
                && g.lossKind() == LossKind.CATEGORICAL_CROSSENTROPY) {
            throw error(what, g, "labels are one number per example but " + g.modelName() + "'s output has " + out[0]
                    + " units" + expected + ": turn class numbers into one-hot rows with Dataset.oneHot(labels, "
                    + out[0] + "), or declare loss = SPARSE_CATEGORICAL_CROSSENTROPY, which takes class ids");
        }
        throw error(what, g, "labels are " + format(perExample) + " per example but " + g.modelName()
                + "'s output is " + format(out) + expected);
    }

    private static void checkFinite(CompiledGraph g, Tensor t, String name, String what) {
        float[] a = t.buffer();
        if (ParameterMath.allFinite(a, 0, a.length)) {
            return; // the common case, vectorised; only bad data is searched value by value
        }
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw error(what, g, name + index(t, i) + " is " + a[i] + " (example " + (i / rowSize(t))
                        + "); " + g.modelName() + " cannot learn from NaN or infinite values: clean or drop that example");
            }
        }
    }

    private static void checkCategorical(CompiledGraph g, Tensor y, String what) {
        int classes = y.dim(-1);
        String fix = "; categorical_crossentropy needs one-hot rows (values in [0, 1] summing to 1): use Dataset.oneHot(labels, "
                + classes + ")";
        float[] a = y.buffer();
        for (int off = 0; off < a.length; off += classes) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                float v = a[off + j];
                if (v < 0 || v > 1) {
                    throw error(what, g, "labels out of range: " + "y" + index(y, off + j) + " = " + v + " for "
                            + g.modelName() + fix);
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                String row = index(y, off);
                int comma = row.lastIndexOf(',');
                row = comma < 0 ? "" : row.substring(0, comma) + "]";
                throw error(what, g, "labels do not sum to 1: row y" + row + " sums to "
                        + String.format(Locale.ROOT, "%.4g", sum) + " for " + g.modelName() + fix);
            }
        }
    }

    /**
     * Sparse labels are class ids: whole numbers in [0, classes). Checked before anything runs, so
     * a bad label stops training before a weight changes.
     */
    private static void checkClassIds(CompiledGraph g, Tensor y, String what) {
        int[] out = g.outputShape();
        int classes = out[out.length - 1];
        float[] a = y.buffer();
        for (int i = 0; i < a.length; i++) {
            float v = a[i];
            if (v < 0 || v >= classes || v != Math.rint(v)) {
                throw error(what, g, "labels out of range: y" + index(y, i) + " = " + v + " is not a class id of "
                        + g.modelName() + "'s " + classes + " classes; sparse_categorical_crossentropy needs whole "
                        + "numbers from 0 to " + (classes - 1) + " (fix or drop that example"
                        + (v == classes ? ", or check whether the ids count from 1" : "") + ")");
            }
        }
    }

    private static int[] withBatch(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private static TapgradDataException error(String what, CompiledGraph g, String detail) {
        return new TapgradDataException("Bad " + what + " for " + g.modelName() + ": " + detail);
    }

    /** The multi-index of flat position {@code flat}, e.g. {@code [12, 3]}. */
    private static String index(Tensor t, int flat) {
        int[] shape = t.shape();
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(idx);
    }

    private static int rowSize(Tensor t) {
        return Math.max(1, t.size() / Math.max(1, t.dim(0)));
    }

    private static String describe(int[] perExample) {
        long n = product(perExample);
        return perExample.length <= 1 ? n + (n == 1 ? " feature" : " features") : format(perExample);
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static String format(int[] shape) {
        return "(" + join(shape) + ")";
    }

    private static String join(int[] shape) {
        return Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", "));
    }
}
