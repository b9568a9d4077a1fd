package dev.tapgrad.runtime;

import dev.tapgrad.runtime.kernel.math.ElementMath;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import java.util.Arrays;

/**
 * Normalisations, similarities and losses with their derivative rules, with Keras's formulas and
 * constants: {@code softmax}, {@code logSoftmax}, {@code l2Normalize}, {@code cosineSimilarity},
 * {@code klDivergence}, {@code categoricalCrossentropy} and {@code mse}. Part of {@link Ops}.
 *
 * <p>The three losses take {@code (yTrue, yPred)}, which broadcast together (a target
 * distribution of shape {@code (C,)} against predictions {@code (B, T, C)}); rows are all leading
 * axes of the broadcast shape, the last axis holds the classes, and the result is the scalar mean
 * over rows, which is Keras's default sum-over-batch-size reduction. Both arguments get a
 * gradient, so either may depend on a tap.
 */
public class LossOps extends ShapeOps {
    LossOps() {}

    // ---- along the last axis ------------------------------------------------------------------

    /** Softmax over the last axis, computed stably ({@code exp(x − max)} normalised). */
    @Differentiable(adjoint = "softmaxAdjoint", shape = ShapeRule.LAST_AXIS)
    public static Tensor softmax(Tensor x) {
        return lastAxis("softmax", x, false);
    }

    /** Adjoint of {@link #softmax}: {@code out · (g − Σ g·out)} per row. */
    public static Tensor softmaxAdjoint(Tensor x, Tensor out, Tensor g) {
        int[] vs = x.dims();
        int va = OpSupport.lastAxis("softmax", vs);
        int vOuter = OpSupport.outer(vs, va);
        int vN = vs[va];
        int vInner = OpSupport.inner(vs, va);
        Tensor d = Workspace.zeros(x.dims());
        float[] o = out.buffer();
        float[] gv = g.buffer();
        float[] dv = d.buffer();
        for (int r = 0; r < vOuter; r++) {
            int off = r * vN;
            double dot = 0;
            for (int j = 0; j < vN; j++) {
                dot += (double) gv[off + j] * o[off + j];
            }
            for (int j = 0; j < vN; j++) {
                dv[off + j] = (float) (o[off + j] * (gv[off + j] - dot));
            }
        }
        return d;
    }

    /** Log-softmax over the last axis: {@code x − max − log Σ exp(x − max)}. */
    @Differentiable(adjoint = "logSoftmaxAdjoint", shape = ShapeRule.LAST_AXIS)
    public static Tensor logSoftmax(Tensor x) {
        return lastAxis("logSoftmax", x, true);
    }

    /** Adjoint of {@link #logSoftmax}: {@code g − exp(out) · Σ g} per row. */
    public static Tensor logSoftmaxAdjoint(Tensor x, Tensor out, Tensor g) {
        int[] vs = x.dims();
        int va = OpSupport.lastAxis("logSoftmax", vs);
        int vOuter = OpSupport.outer(vs, va);
        int vN = vs[va];
        int vInner = OpSupport.inner(vs, va);
        Tensor d = Workspace.zeros(x.dims());
        float[] o = out.buffer();
        float[] gv = g.buffer();
        float[] dv = d.buffer();
        for (int r = 0; r < vOuter; r++) {
            int off = r * vN;
            double total = 0;
            for (int j = 0; j < vN; j++) {
                total += gv[off + j];
            }
            for (int j = 0; j < vN; j++) {
                dv[off + j] = (float) (gv[off + j] - Math.exp(o[off + j]) * total);
            }
        }
        return d;
    }

    private static Tensor lastAxis(String op, Tensor x, boolean log) {
        int[] vs = x.dims();
        int va = OpSupport.lastAxis(op, vs);
        int vOuter = OpSupport.outer(vs, va);
        int vN = vs[va];
        int vInner = OpSupport.inner(vs, va);
        Tensor out = Workspace.zeros(x.dims());
        float[] in = x.buffer();
        float[] o = out.buffer();
        int n = vN;
        // Each row is first widened into e, then exp'd there: each exp once per value (kept in
        // double for the division), and reading doubles, because a float-to-double conversion
        // feeding Math.exp directly chains each exp to the previous one. Softmax runs on every
        // LSTM state of a batch; this made it three times faster. Same values as before.
        double[] e = Workspace.doubles(n);
        for (int r = 0; r < vOuter; r++) {
            int off = r * n;
            for (int j = 0; j < n; j++) {
                e[j] = in[off + j];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, e[j]);
            }
            if (log) {
                double total = 0;
                for (int j = 0; j < n; j++) {
                    total += Math.exp(e[j] - max);
                }
                double logTotal = Math.log(total);
                for (int j = 0; j < n; j++) {
                    o[off + j] = (float) (e[j] - max - logTotal);
                }
            } else {
                // exp(x − max) ≤ 1 a row at a time through ElementMath (vectorised where the
                // Vector API is on), straight into the output row, then normalised.
                for (int j = 0; j < n; j++) {
                    o[off + j] = (float) (e[j] - max);
                }
                ElementMath.exp(o, off, n);
                double total = 0;
                for (int j = 0; j < n; j++) {
                    total += o[off + j];
                }
                float inv = (float) (1 / total);
                for (int j = 0; j < n; j++) {
                    o[off + j] *= inv;
                }
            }
        }
        return out;
    }

    // ---- along an axis ------------------------------------------------------------------------

    /**
     * Keras's {@code l2_normalize}: {@code x / √max(Σ x², 1e-12)} with the sum along {@code axis}
     * (kept), so a zero vector stays zero.
     */
    @Differentiable(adjoint = "l2NormalizeAdjoint", shape = ShapeRule.SAME_WITH_AXIS)
    public static Tensor l2Normalize(Tensor x, int axis) {
        Tensor norms = inverseNorms(x, axis);
        return Broadcast.apply(x, norms, (a, b) -> a * b);
    }

    /**
     * Adjoint of {@link #l2Normalize}: with {@code n = Σ x²} along the axis,
     * {@code g/√n − x·(Σ g·x)/n^{3/2}}, and {@code g/√1e-12} where {@code n ≤ 1e-12} (the floor is
     * then a constant).
     */
    public static Tensor l2NormalizeAdjoint(Tensor x, int axis, Tensor out, Tensor g) {
        int a = OpSupport.axis("l2Normalize", x.dims(), axis);
        int vOuter = OpSupport.outer(x.dims(), a);
        int vN = x.dims()[a];
        int vInner = OpSupport.inner(x.dims(), a);
        Tensor d = Workspace.zeros(x.dims());
        float[] xv = x.buffer();
        float[] gv = g.buffer();
        float[] dv = d.buffer();
        for (int o = 0; o < vOuter; o++) {
            for (int i = 0; i < vInner; i++) {
                double n = 0;
                double gx = 0;
                for (int j = 0; j < vN; j++) {
                    int k = ((o * vN + j) * vInner + i);
                    n += (double) xv[k] * xv[k];
                    gx += (double) gv[k] * xv[k];
                }
                boolean floored = n <= LossKernels.L2_EPSILON;
                double inv = 1 / Math.sqrt(floored ? LossKernels.L2_EPSILON : n);
                for (int j = 0; j < vN; j++) {
                    int k = ((o * vN + j) * vInner + i);
                    dv[k] = (float) (floored ? gv[k] * inv : gv[k] * inv - xv[k] * gx * inv * inv * inv);
                }
            }
        }
        return d;
    }

    /** {@code 1/√max(Σ x², 1e-12)} along {@code axis}, kept with size 1. */
    private static Tensor inverseNorms(Tensor x, int axis) {
        int a = OpSupport.axis("l2Normalize", x.dims(), axis);
        int vOuter = OpSupport.outer(x.dims(), a);
        int vN = x.dims()[a];
        int vInner = OpSupport.inner(x.dims(), a);
        Tensor out = Workspace.zeros(OpSupport.reducedShape(x.dims(), a, true));
        float[] xv = x.buffer();
        float[] o = out.buffer();
        for (int b = 0; b < vOuter; b++) {
            for (int i = 0; i < vInner; i++) {
                double n = 0;
                for (int j = 0; j < vN; j++) {
                    double val = xv[((b * vN + j) * vInner + i)];
                    n += val * val;
                }
                o[b * vInner + i] = (float) (1 / Math.sqrt(Math.max(n, LossKernels.L2_EPSILON)));
            }
        }
        return out;
    }

    /**
     * The cosine similarity of {@code a} and {@code b} along {@code axis} (which is removed), by
     * Keras's formula {@code Σ l2Normalize(a, axis) · l2Normalize(b, axis)}: 1 for parallel
     * vectors, −1 for opposite ones. The arguments broadcast together and each is normalised along
     * its own {@code axis}, so with differing ranks pass a negative axis.
     *
     * <p>This is the similarity, not Keras's {@code CosineSimilarity} loss, which is its negative:
     * that loss is {@code neg(mean(cosineSimilarity(yTrue, yPred, -1)))}.
     */
    @Differentiable(adjoint = {"cosineSimilarityAdjointA", "cosineSimilarityAdjointB"}, shape = ShapeRule.REDUCE_AXIS)
    public static Tensor cosineSimilarity(Tensor a, Tensor b, int axis) {
        int[] shape = Broadcast.shape(a.dims(), b.dims());
        Tensor products = Broadcast.apply(l2Normalize(a, ownAxis(a, shape, axis)), l2Normalize(b, ownAxis(b, shape, axis)),
                (x, y) -> x * y);
        return sum(products, axis, false);
    }

    /** Adjoint of {@link #cosineSimilarity} with respect to {@code a}. */
    public static Tensor cosineSimilarityAdjointA(Tensor a, Tensor b, int axis, Tensor out, Tensor g) {
        return cosineAdjoint(a, b, axis, g);
    }

    /** Adjoint of {@link #cosineSimilarity} with respect to {@code b}. */
    public static Tensor cosineSimilarityAdjointB(Tensor a, Tensor b, int axis, Tensor out, Tensor g) {
        return cosineAdjoint(b, a, axis, g);
    }

    /** The gradient for {@code x} of {@code Σ l2n(x)·l2n(y)}: composed from the primitives' rules. */
    private static Tensor cosineAdjoint(Tensor x, Tensor y, int axis, Tensor g) {
        int[] shape = Broadcast.shape(x.dims(), y.dims());
        int ax = ownAxis(x, shape, axis);
        Tensor ux = l2Normalize(x, ax);
        Tensor uy = l2Normalize(y, ownAxis(y, shape, axis));
        Tensor gp = OpSupport.spread(g, shape, OpSupport.axis("cosineSimilarity", shape, axis));
        Tensor gux = Broadcast.reduceTo(Broadcast.apply(gp, uy, (p, q) -> p * q), ux.dims());
        return l2NormalizeAdjoint(x, ax, ux, gux);
    }

    /** {@code axis} of the broadcast shape as an axis of {@code t}, which must have it. */
    private static int ownAxis(Tensor t, int[] broadcast, int axis) {
        int a = OpSupport.axis("cosineSimilarity", broadcast, axis) - (broadcast.length - t.rank());
        if (a < 0) {
            throw new IllegalArgumentException("cosineSimilarity: axis " + axis + " of the broadcast shape "
                    + Arrays.toString(broadcast) + " is not an axis of the argument of shape "
                    + Arrays.toString(t.shape()) + "; pass a negative axis such as -1");
        }
        return a;
    }

    // ---- losses -------------------------------------------------------------------------------

    /**
     * Keras's {@code KLDivergence} loss: per row {@code Σ t·log(t / p)} with {@code t = clip(yTrue,
     * 1e-7, 1)} and {@code p = clip(yPred, 1e-7, 1)}, then the mean over rows. As in Keras the
     * factor is the clipped {@code t}, so a zero target adds {@code 1e-7·log(1e-7/p)}, not 0.
     */
    @Differentiable(adjoint = {"klDivergenceAdjointTrue", "klDivergenceAdjointPred"},
            shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor klDivergence(Tensor yTrue, Tensor yPred) {
        return LossKernels.kl(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #klDivergence} for {@code yTrue}: {@code log(t/p) + 1} where yTrue is not clipped. */
    public static Tensor klDivergenceAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return LossKernels.kl(yTrue, yPred, LossKernels.Wrt.TRUE, g);
    }

    /** Adjoint of {@link #klDivergence} for {@code yPred}: {@code −t/p} where yPred is not clipped. */
    public static Tensor klDivergenceAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return LossKernels.kl(yTrue, yPred, LossKernels.Wrt.PRED, g);
    }

    /**
     * Keras's categorical cross-entropy on probabilities: per row {@code q = yPred / Σ yPred},
     * {@code c = clip(q, 1e-7, 1 − 1e-7)}, {@code −Σ yTrue·log c}; then the mean over rows.
     */
    @Differentiable(adjoint = {"categoricalCrossentropyAdjointTrue", "categoricalCrossentropyAdjointPred"},
            shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        return LossKernels.crossentropy(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #categoricalCrossentropy} for {@code yTrue}: {@code −log c}. */
    public static Tensor categoricalCrossentropyAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return LossKernels.crossentropy(yTrue, yPred, LossKernels.Wrt.TRUE, g);
    }

    /**
     * Adjoint of {@link #categoricalCrossentropy} for {@code yPred}: through the normalisation,
     * {@code (h − Σ h·q) / Σ yPred} with {@code h = −yTrue/c} where q is not clipped, 0 where it is.
     */
    public static Tensor categoricalCrossentropyAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return LossKernels.crossentropy(yTrue, yPred, LossKernels.Wrt.PRED, g);
    }

    /** Mean squared error: the mean of {@code (yTrue − yPred)²} over every element (Keras's {@code MSE}). */
    @Differentiable(adjoint = {"mseAdjointTrue", "mseAdjointPred"}, shape = ShapeRule.BROADCAST_TO_SCALAR)
    public static Tensor mse(Tensor yTrue, Tensor yPred) {
        return LossKernels.mse(yTrue, yPred, null, null);
    }

    /** Adjoint of {@link #mse} for {@code yTrue}: {@code 2(yTrue − yPred)/n}. */
    public static Tensor mseAdjointTrue(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return LossKernels.mse(yTrue, yPred, LossKernels.Wrt.TRUE, g);
    }

    /** Adjoint of {@link #mse} for {@code yPred}: {@code 2(yPred − yTrue)/n}. */
    public static Tensor mseAdjointPred(Tensor yTrue, Tensor yPred, Tensor out, Tensor g) {
        return LossKernels.mse(yTrue, yPred, LossKernels.Wrt.PRED, g);
    }
}
