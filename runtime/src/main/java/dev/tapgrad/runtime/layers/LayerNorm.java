package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Keras's {@code LayerNormalization} on the last axis: each row (one example's features, or one
 * step's) is normalised with its own mean and biased variance, out = gamma · (x - mean) /
 * √(variance + epsilon) + beta. The same in training and inference.
 *
 * <p>Shapes: x and out (..., features); gamma and beta (features).
 */
public final class LayerNorm extends AbstractLayer {
    private final int features;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    /** Per row of the latest forward, 1 / √(variance + epsilon). */
    private double[] invStd = new double[0];
    /** The normalised input of the latest forward, (N, features). */
    private float[] xhat = new float[0];
    /** dL/dgamma and dL/dbeta summed over the rows in double, so that large batches keep their low bits. */
    private final double[] gammaSums;
    private final double[] betaSums;

    /** A layer-normalisation layer over {@code features}; gamma 1, beta 0. */
    public LayerNorm(String name, int features, double epsilon) {
        super(name);
        if (features <= 0 || !(epsilon > 0)) {
            throw new IllegalArgumentException("LayerNorm " + name + ": needs features ≥ 1 and epsilon > 0, got "
                    + features + ", " + epsilon);
        }
        this.features = features;
        this.epsilon = epsilon;
        this.gamma = new Parameter(name + ".gamma", Tensor.zeros(features));
        this.beta = new Parameter(name + ".beta", Tensor.zeros(features));
        this.gammaSums = new double[features];
        this.betaSums = new double[features];
        initialize(null);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** Keras's initialisers: gamma 1, beta 0; draws nothing. */
    @Override
    public void initialize(Random random) {
        gamma.value().fill(1f);
        beta.value().fill(0f);
    }

    /** x (B, ..., features) gives the same shape. */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        int[] x = singleInput(inputShapes, -1, "(B, ..., " + features + ")");
        if (x[x.length - 1] != features) {
            throw shapeError("(B, ..., " + features + ")", inputShapes);
        }
        return x.clone();
    }

    /**
     * Normalises each row of x with its own statistics (two passes, in double).
     *
     * @param x (..., features)
     * @param out the shape of x; overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int n = rows("forward", x, out);
        if (invStd.length != n) {
            // reallocated only when the batch size changes, so steady-state steps allocate nothing
            invStd = new double[n];
            xhat = new float[n * features];
        }
        float[] in = x.buffer();
        float[] g = gamma.value().buffer();
        float[] b = beta.value().buffer();
        float[] o = out.buffer();
        for (int r = 0; r < n; r++) {
            int off = r * features;
            double mean = 0;
            for (int c = 0; c < features; c++) {
                mean += in[off + c];
            }
            mean /= features;
            double sq = 0;
            for (int c = 0; c < features; c++) {
                double d = in[off + c] - mean;
                sq += d * d;
            }
            double inv = 1 / Math.sqrt(sq / features + epsilon);
            invStd[r] = inv;
            for (int c = 0; c < features; c++) {
                float h = (float) ((in[off + c] - mean) * inv);
                xhat[off + c] = h;
                o[off + c] = g[c] * h + b[c];
            }
        }
    }

    /**
     * Back-propagates through the latest forward, which must have been on this x: adds dL/dgamma
     * and dL/dbeta to the parameters' gradients and dL/dx (through each row's statistics) to gx.
     *
     * @param x (..., features), the input of the forward call
     * @param gOut the shape of x, dL/dout
     * @param gx the shape of x, accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx) {
        backward(x, gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor, Tensor)}, but with {@code accumulate} false dL/dx
     * overwrites {@code gx}: generated graphs pass false where this layer is the first to give
     * {@code gx} a gradient in a step, so that the buffer needs no zeroing.
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx, boolean accumulate) {
        int n = rows("backward", x, gOut);
        if (invStd.length != n) {
            throw new IllegalStateException("LayerNorm " + name() + " backward: call forward on this x first");
        }
        float[] g = gOut.buffer();
        float[] gm = gamma.value().buffer();
        float[] dGamma = gamma.grad().buffer();
        float[] dBeta = beta.grad().buffer();
        float[] dst = gx == null ? null : gx.buffer();
        Arrays.fill(gammaSums, 0);
        Arrays.fill(betaSums, 0);
        for (int r = 0; r < n; r++) {
            int off = r * features;
            double sum = 0;
            double sumXhat = 0;
            for (int c = 0; c < features; c++) {
                double dh = (double) g[off + c] * gm[c];
                sum += dh;
                sumXhat += dh * xhat[off + c];
                gammaSums[c] += (double) g[off + c] * xhat[off + c];
                betaSums[c] += g[off + c];
            }
            if (dst != null) {
                for (int c = 0; c < features; c++) {
                    double dh = (double) g[off + c] * gm[c];
                    float v = (float) (invStd[r] * (dh - sum / features - xhat[off + c] * sumXhat / features));
                    dst[off + c] = accumulate ? dst[off + c] + v : v;
                }
            }
        }
        for (int c = 0; c < features; c++) {
            dGamma[c] += (float) gammaSums[c];
            dBeta[c] += (float) betaSums[c];
        }
    }

    private int rows(String op, Tensor x, Tensor other) {
        if (x.rank() < 1 || x.dim(-1) != features || !x.sameShape(other)) {
            throw new IllegalArgumentException("LayerNorm " + name() + " " + op + ": expected two tensors (..., " + features
                    + ") of one shape, got " + Arrays.toString(x.shape()) + " and " + Arrays.toString(other.shape()));
        }
        return x.size() / features;
    }
}
