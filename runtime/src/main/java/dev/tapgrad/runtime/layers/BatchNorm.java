package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Keras's {@code BatchNormalization} on the last axis: out = gamma · (x - mean) / √(variance +
 * epsilon) + beta per feature. Training uses the batch's mean and biased variance over every other
 * axis and, in {@code fit}, moves the moving statistics towards them: moving = moving · momentum +
 * batch · (1 - momentum), with the biased variance as Keras 3 does. Inference uses the moving
 * statistics. Which of the two runs is the graph's {@link Mode}.
 *
 * <p>Shapes: x and out (..., features); gamma, beta, moving_mean, moving_variance (features).
 */
public final class BatchNorm extends AbstractLayer implements ModalLayer {
    private final int features;
    private final double momentum;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter movingMean;
    private final Parameter movingVariance;
    private Mode mode = new Mode(0);
    /** Per feature, the latest forward's 1 / √(variance + epsilon); sums of the backward. */
    private final double[] invStd;
    private final double[] mean;
    private final double[] sumG;
    private final double[] sumGXhat;
    /** The normalised input of the latest forward, (N, features). */
    private float[] xhat = new float[0];
    private boolean lastTraining;

    /** A batch-normalisation layer over {@code features}; gamma 1, beta 0, moving mean 0, moving variance 1. */
    public BatchNorm(String name, int features, double momentum, double epsilon) {
        super(name);
        if (features <= 0 || !(epsilon > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm " + name + ": needs features ≥ 1, epsilon > 0 and momentum in [0, 1], got "
                    + features + ", " + epsilon + ", " + momentum);
        }
        this.features = features;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.gamma = new Parameter(name + ".gamma", Tensor.zeros(features));
        this.beta = new Parameter(name + ".beta", Tensor.zeros(features));
        this.movingMean = new Parameter(name + ".moving_mean", Tensor.zeros(features));
        this.movingVariance = new Parameter(name + ".moving_variance", Tensor.zeros(features));
        this.invStd = new double[features];
        this.mean = new double[features];
        this.sumG = new double[features];
        this.sumGXhat = new double[features];
        initialize(null);
    }

    @Override
    public void useMode(Mode mode, int index) {
        this.mode = mode;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** moving_mean and moving_variance. */
    @Override
    public List<Parameter> state() {
        return List.of(movingMean, movingVariance);
    }

    /** Keras's initialisers: gamma 1, beta 0, moving mean 0, moving variance 1; draws nothing. */
    @Override
    public void initialize(Random random) {
        gamma.value().fill(1f);
        beta.value().fill(0f);
        movingMean.value().fill(0f);
        movingVariance.value().fill(1f);
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
     * Normalises x with the batch's statistics (training; {@code fit} also updates the moving ones)
     * or with the moving statistics (inference).
     *
     * @param x (..., features)
     * @param out the shape of x; overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int n = rows("forward", x, out);
        if (xhat.length != n * features) {
            // reallocated only when the batch size changes, so steady-state steps allocate nothing
            xhat = new float[n * features];
        }
        float[] in = x.buffer();
        lastTraining = mode.training();
        if (lastTraining) {
            batchStatistics(in, n);
        } else {
            float[] mm = movingMean.value().buffer();
            float[] mv = movingVariance.value().buffer();
            for (int c = 0; c < features; c++) {
                mean[c] = mm[c];
                invStd[c] = 1 / Math.sqrt(mv[c] + epsilon);
            }
        }
        float[] g = gamma.value().buffer();
        float[] b = beta.value().buffer();
        float[] o = out.buffer();
        for (int r = 0; r < n; r++) {
            int off = r * features;
            for (int c = 0; c < features; c++) {
                float h = (float) ((in[off + c] - mean[c]) * invStd[c]);
                xhat[off + c] = h;
                o[off + c] = g[c] * h + b[c];
            }
        }
    }

    /** The batch's mean and biased variance (two passes, in double) into mean and invStd; moves the moving ones in fit. */
    private void batchStatistics(float[] in, int n) {
        Arrays.fill(mean, 0);
        Arrays.fill(sumG, 0); // the variance sums, before the backward reuses the array
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < features; c++) {
                mean[c] += in[r * features + c];
            }
        }
        for (int c = 0; c < features; c++) {
            mean[c] /= n;
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < features; c++) {
                double d = in[r * features + c] - mean[c];
                sumG[c] += d * d;
            }
        }
        float[] mm = movingMean.value().buffer();
        float[] mv = movingVariance.value().buffer();
        for (int c = 0; c < features; c++) {
            double variance = sumG[c] / n;
            invStd[c] = 1 / Math.sqrt(variance + epsilon);
            if (mode.updatesStatistics()) {
                mm[c] = (float) (mm[c] * momentum + mean[c] * (1 - momentum));
                mv[c] = (float) (mv[c] * momentum + variance * (1 - momentum));
            }
        }
    }

    /**
     * Back-propagates through the latest forward, which must have been on this x: adds dL/dgamma
     * and dL/dbeta to the parameters' gradients and dL/dx to gx. After a training forward the
     * gradient flows through the batch statistics too.
     *
     * @param x (..., features), the input of the forward call
     * @param gOut the shape of x, dL/dout
     * @param gx the shape of x, accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx) {
        int n = rows("backward", x, gOut);
        if (xhat.length != n * features) {
            throw new IllegalStateException("BatchNorm " + name() + " backward: call forward on this x first");
        }
        float[] g = gOut.buffer();
        Arrays.fill(sumG, 0);
        Arrays.fill(sumGXhat, 0);
        for (int r = 0; r < n; r++) {
            int off = r * features;
            for (int c = 0; c < features; c++) {
                sumG[c] += g[off + c];
                sumGXhat[c] += (double) g[off + c] * xhat[off + c];
            }
        }
        float[] dGamma = gamma.grad().buffer();
        float[] dBeta = beta.grad().buffer();
        for (int c = 0; c < features; c++) {
            dGamma[c] += (float) sumGXhat[c];
            dBeta[c] += (float) sumG[c];
        }
        if (gx == null) {
            return;
        }
        float[] gm = gamma.value().buffer();
        float[] dst = gx.buffer();
        for (int r = 0; r < n; r++) {
            int off = r * features;
            for (int c = 0; c < features; c++) {
                double k = gm[c] * invStd[c];
                dst[off + c] += (float) (lastTraining
                        ? k * (g[off + c] - sumG[c] / n - xhat[off + c] * sumGXhat[c] / n)
                        : k * g[off + c]);
            }
        }
    }

    private int rows(String op, Tensor x, Tensor other) {
        if (x.rank() < 1 || x.dim(-1) != features || !x.sameShape(other)) {
            throw new IllegalArgumentException("BatchNorm " + name() + " " + op + ": expected two tensors (..., " + features
                    + ") of one shape, got " + Arrays.toString(x.shape()) + " and " + Arrays.toString(other.shape()));
        }
        return x.size() / features;
    }
}
