package dev.tapgrad.runtime.f64;

import static dev.tapgrad.runtime.f64.T64.zip;

import dev.tapgrad.Activation;

/**
 * Every op of {@code Ops} written again in double, from its documented formula (Keras's where it
 * names one: probabilities clipped at 1e-7, l2 norms floored at 1e-12), in plain loops: the
 * function that float64 finite differences differentiate. Names and argument orders follow
 * {@code Ops}.
 */
public final class Ops64 {
    /** Keras's {@code backend.epsilon()}. */
    public static final double EPSILON = 1e-7;
    /** Keras's floor under a squared norm in {@code l2_normalize}. */
    public static final double L2_EPSILON = 1e-12;

    private Ops64() {}

    // ---- elementwise --------------------------------------------------------------------------

    public static T64 abs(T64 x) {
        return x.map(Math::abs);
    }

    public static T64 square(T64 x) {
        return x.map(a -> a * a);
    }

    public static T64 neg(T64 x) {
        return x.map(a -> -a);
    }

    public static T64 scale(double c, T64 x) {
        return x.map(a -> c * a);
    }

    public static T64 exp(T64 x) {
        return x.map(Math::exp);
    }

    public static T64 log(T64 x) {
        return x.map(Math::log);
    }

    public static T64 sqrt(T64 x) {
        return x.map(Math::sqrt);
    }

    public static T64 pow(T64 x, double p) {
        return x.map(a -> Math.pow(a, p));
    }

    public static T64 clip(T64 x, double lo, double hi) {
        return x.map(a -> Math.min(Math.max(a, lo), hi));
    }

    public static T64 add(T64 a, T64 b) {
        return zip(a, b, Double::sum);
    }

    public static T64 sub(T64 a, T64 b) {
        return zip(a, b, (p, q) -> p - q);
    }

    public static T64 mul(T64 a, T64 b) {
        return zip(a, b, (p, q) -> p * q);
    }

    public static T64 div(T64 a, T64 b) {
        return zip(a, b, (p, q) -> p / q);
    }

    // ---- reductions ---------------------------------------------------------------------------

    public static T64 sum(T64 x) {
        double s = 0;
        for (double a : x.v()) {
            s += a;
        }
        return T64.scalar(s);
    }

    public static T64 mean(T64 x) {
        return T64.scalar(sum(x).item() / x.size());
    }

    public static T64 max(T64 x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double a : x.v()) {
            m = Math.max(m, a);
        }
        return T64.scalar(m);
    }

    public static T64 min(T64 x) {
        return neg(max(neg(x)));
    }

    /** Along one axis: 0 sum, 1 mean, 2 max. */
    private static T64 reduce(T64 x, int axis, boolean keep, int kind) {
        int[] s = x.split(axis);
        double[] o = new double[s[0] * s[2]];
        for (int b = 0; b < s[0]; b++) {
            for (int i = 0; i < s[2]; i++) {
                double acc = kind == 2 ? Double.NEGATIVE_INFINITY : 0;
                for (int j = 0; j < s[1]; j++) {
                    double a = x.v()[(b * s[1] + j) * s[2] + i];
                    acc = kind == 2 ? Math.max(acc, a) : acc + a;
                }
                o[b * s[2] + i] = kind == 1 ? acc / s[1] : acc;
            }
        }
        return new T64(o, x.reduced(axis, keep));
    }

    public static T64 sum(T64 x, int axis) {
        return sum(x, axis, false);
    }

    public static T64 sum(T64 x, int axis, boolean keep) {
        return reduce(x, axis, keep, 0);
    }

    public static T64 mean(T64 x, int axis, boolean keep) {
        return reduce(x, axis, keep, 1);
    }

    public static T64 max(T64 x, int axis) {
        return max(x, axis, false);
    }

    public static T64 max(T64 x, int axis, boolean keep) {
        return reduce(x, axis, keep, 2);
    }

    public static T64 min(T64 x, int axis) {
        return min(x, axis, false);
    }

    public static T64 min(T64 x, int axis, boolean keep) {
        return neg(reduce(neg(x), axis, keep, 2));
    }

    // ---- shapes -------------------------------------------------------------------------------

    public static T64 reshape(T64 x, int... dims) {
        return x.reshape(dims);
    }

    public static T64 expandDims(T64 x, int axis) {
        int a = axis < 0 ? axis + x.rank() + 1 : axis;
        int[] s = new int[x.rank() + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            s[i] = i == a ? 1 : x.shape()[j++];
        }
        return new T64(x.v(), s);
    }

    /** The last two axes swapped. */
    public static T64 transpose(T64 x) {
        int r = x.rank();
        int m = x.shape()[r - 2];
        int n = x.shape()[r - 1];
        int[] s = x.shape().clone();
        s[r - 2] = n;
        s[r - 1] = m;
        double[] o = new double[x.size()];
        for (int b = 0; b < x.size() / (m * n); b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    o[b * m * n + j * m + i] = x.v()[b * m * n + i * n + j];
                }
            }
        }
        return new T64(o, s);
    }

    /** (m, k)·(k, n), or one product per leading index for rank 3. */
    public static T64 matmul(T64 a, T64 b) {
        int r = a.rank();
        int batches = r == 3 ? a.shape()[0] : 1;
        int m = a.shape()[r - 2];
        int k = a.shape()[r - 1];
        int n = b.shape()[r - 1];
        double[] o = new double[batches * m * n];
        for (int t = 0; t < batches; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.v()[(t * m + i) * k + p] * b.v()[(t * k + p) * n + j];
                    }
                    o[(t * m + i) * n + j] = s;
                }
            }
        }
        return new T64(o, r == 3 ? new int[] {batches, m, n} : new int[] {m, n});
    }

    // ---- along the last axis, norms, losses -------------------------------------------------

    public static T64 softmax(T64 x) {
        return exp(logSoftmax(x));
    }

    /** {@code x − max − log Σ exp(x − max)} per row of the last axis. */
    public static T64 logSoftmax(T64 x) {
        T64 shifted = sub(x, max(x, -1, true));
        return sub(shifted, log(sum(exp(shifted), -1, true)));
    }

    /** {@code x / √max(Σ x², 1e-12)} along {@code axis}. */
    public static T64 l2Normalize(T64 x, int axis) {
        return div(x, sqrt(sum(square(x), axis, true).map(n -> Math.max(n, L2_EPSILON))));
    }

    /** {@code Σ l2Normalize(a)·l2Normalize(b)} along {@code axis} of the broadcast shape, each normalised along its own. */
    public static T64 cosineSimilarity(T64 a, T64 b, int axis) {
        int r = Math.max(a.rank(), b.rank());
        int ax = axis < 0 ? axis + r : axis;
        return sum(mul(l2Normalize(a, ax - (r - a.rank())), l2Normalize(b, ax - (r - b.rank()))), ax, false);
    }

    /** Rows of the broadcast shape: every axis but the last. */
    private static double rows(T64 both) {
        int classes = both.rank() == 0 ? 1 : both.shape()[both.rank() - 1];
        return Math.max(1, both.size() / classes);
    }

    /** Per row {@code Σ t·log(t/p)}, t and p clipped to [1e-7, 1]; the mean over rows. */
    public static T64 klDivergence(T64 yTrue, T64 yPred) {
        T64 terms = zip(yTrue, yPred, (t, p) -> {
            double tc = Math.min(Math.max(t, EPSILON), 1);
            double pc = Math.min(Math.max(p, EPSILON), 1);
            return tc * Math.log(tc / pc);
        });
        return T64.scalar(sum(terms).item() / rows(terms));
    }

    /** Per row {@code −Σ t·log clip(p/Σp, 1e-7, 1 − 1e-7)}; the mean over rows. */
    public static T64 categoricalCrossentropy(T64 yTrue, T64 yPred) {
        T64 p = add(yPred, mul(yTrue, T64.scalar(0))); // yPred broadcast to the common shape
        T64 q = div(p, sum(p, -1, true)).map(c -> Math.min(Math.max(c, EPSILON), 1 - EPSILON));
        T64 terms = mul(yTrue, log(q));
        return T64.scalar(-sum(terms).item() / rows(terms));
    }

    /** The mean of {@code (yTrue − yPred)²} over the last axis, then over the rows (the same as over every element). */
    public static T64 mse(T64 yTrue, T64 yPred) {
        T64 d = square(sub(yTrue, yPred));
        return d.rank() == 0 ? d : mean(mean(d, -1, false));
    }

    /** Per value {@code −(t·log c + (1 − t)·log(1 − c))}, {@code c = clip(p, 1e-7, 1 − 1e-7)}; the mean over every value (Keras 3). */
    public static T64 binaryCrossentropy(T64 yTrue, T64 yPred) {
        T64 terms = zip(yTrue, yPred, (t, p) -> {
            double c = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
            return -(t * Math.log(c) + (1 - t) * Math.log(1 - c));
        });
        return terms.rank() == 0 ? terms : mean(terms);
    }

    /** {@link #binaryCrossentropy} on logits z, as {@code −(t·log σ(z) + (1 − t)·log(1 − σ(z)))} written out plainly. */
    public static T64 binaryCrossentropyOfLogits(T64 yTrue, T64 logits) {
        T64 terms = zip(yTrue, logits, (t, z) -> {
            double s = 1 / (1 + Math.exp(-z));
            return -(t * Math.log(s) + (1 - t) * Math.log(1 - s));
        });
        return terms.rank() == 0 ? terms : mean(terms);
    }

    /**
     * Class ids (one per row, rounded to the nearest id, so a finite difference on them is 0)
     * against probabilities: per row {@code −log clip(p_k/Σp, 1e-7, 1 − 1e-7)}; the mean over rows.
     */
    public static T64 sparseCategoricalCrossentropy(T64 ids, T64 yPred) {
        int classes = yPred.shape()[yPred.rank() - 1];
        int rows = yPred.size() / classes;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += yPred.v()[r * classes + j];
            }
            int k = (int) Math.round(ids.v()[r]);
            total -= Math.log(Math.min(Math.max(yPred.v()[r * classes + k] / sum, EPSILON), 1 - EPSILON));
        }
        return T64.scalar(total / rows);
    }

    /** Class ids against logits: per row {@code −log softmax(z)_k}, the softmax written out plainly; the mean over rows. */
    public static T64 sparseCategoricalCrossentropyOfLogits(T64 ids, T64 logits) {
        int classes = logits.shape()[logits.rank() - 1];
        int rows = logits.size() / classes;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits.v()[r * classes + j]);
            }
            total -= Math.log(Math.exp(logits.v()[r * classes + (int) Math.round(ids.v()[r])]) / sum);
        }
        return T64.scalar(total / rows);
    }

    /** One-hot (or any) rows against logits: per row {@code −Σ y·log softmax(z)}, written out plainly; the mean over rows. */
    public static T64 categoricalCrossentropyOfLogits(T64 yTrue, T64 logits) {
        int classes = logits.shape()[logits.rank() - 1];
        int rows = logits.size() / classes;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits.v()[r * classes + j]);
            }
            for (int j = 0; j < classes; j++) {
                total -= yTrue.v()[r * classes + j] * Math.log(Math.exp(logits.v()[r * classes + j]) / sum);
            }
        }
        return T64.scalar(total / rows);
    }

    /** The mean of {@code |yTrue − yPred|} over every value. */
    public static T64 meanAbsoluteError(T64 yTrue, T64 yPred) {
        T64 d = zip(yTrue, yPred, (t, p) -> Math.abs(p - t));
        return d.rank() == 0 ? d : mean(d);
    }

    /** Huber with delta 1: {@code ½e²} where {@code |e| ≤ 1}, else {@code |e| − ½}; the mean over every value. */
    public static T64 huber(T64 yTrue, T64 yPred) {
        T64 d = zip(yTrue, yPred, (t, p) -> {
            double e = Math.abs(p - t);
            return e <= 1 ? 0.5 * e * e : e - 0.5;
        });
        return d.rank() == 0 ? d : mean(d);
    }

    // ---- activations: the layers' double formulas (Layers64.activate) -------------------------

    public static T64 relu(T64 x) {
        return Layers64.activate(x, Activation.RELU);
    }

    public static T64 sigmoid(T64 x) {
        return Layers64.activate(x, Activation.SIGMOID);
    }

    public static T64 tanh(T64 x) {
        return Layers64.activate(x, Activation.TANH);
    }

    public static T64 softplus(T64 x) {
        return Layers64.activate(x, Activation.SOFTPLUS);
    }

    public static T64 elu(T64 x) {
        return Layers64.activate(x, Activation.ELU);
    }

    public static T64 selu(T64 x) {
        return Layers64.activate(x, Activation.SELU);
    }

    public static T64 silu(T64 x) {
        return Layers64.activate(x, Activation.SILU);
    }

    public static T64 gelu(T64 x) {
        return Layers64.activate(x, Activation.GELU);
    }

    public static T64 leakyRelu(T64 x) {
        return Layers64.activate(x, Activation.LEAKY_RELU);
    }
}
