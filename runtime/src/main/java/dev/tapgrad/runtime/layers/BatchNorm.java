package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.norm.ChannelNorm;
import dev.tapgrad.runtime.kernel.norm.ImagePasses;
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
 *
 * <p>An L1 or L2 penalty on the output ({@link #penalize}) is computed inside the layer's passes:
 * its value while the forward writes the output, its gradient where the backward reads dL/dout.
 *
 * <p>Fed by a convolution ({@link Conv2D#feedBatchNorm}), the statistics pass and the dL/dx pass
 * run image by image inside the convolution's own loops instead ({@link ImagePasses}).
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
    /** The vectorised, parallel passes over the (N, features) rows. */
    private final ChannelNorm passes;
    /** Per feature, the latest forward's mean and 1 / √(variance + epsilon), in double. */
    private final double[] mean;
    private final double[] invStd;
    /** The batch variance, then the backward's Σ dy and Σ dy·(x − center). */
    private final double[] variance;
    private final double[] sumG;
    private final double[] sumGCentered;
    /**
     * Per feature, the coefficients of the latest pass: out = scale·(x − center) + shift, and in
     * backward gx += scale·dy + scaleX·(x − center) + shift. center is the mean rounded to float;
     * shift absorbs the rounding (computed in double), so a large mean costs no precision.
     */
    private final float[] center;
    private final float[] scale;
    private final float[] scaleX;
    private final float[] shift;
    /** The forward's scale and shift (out = outScale·(x − center) + outShift), which a penalty's gradient needs. */
    private final float[] outScale;
    private final float[] outShift;
    /** An L1 or L2 penalty on the output computed in the layer's passes (see {@link #penalize}). */
    private final OutputPenaltySlot penalty = new OutputPenaltySlot("BatchNorm", name());
    /** The rows of the latest forward; backward needs the same. */
    private int forwardRows = -1;
    private boolean lastTraining;
    /** The image-by-image passes a feeding convolution runs (see {@link Conv2D#feedBatchNorm}); null until fed. */
    private ImagePasses images;
    /** The feeding convolution's latest output, and whether its forward also summed it for the statistics. */
    private float[] fedOutput;
    private int fedRows;
    private boolean fedStatistics;
    /** A dL/dx left to the feeding convolution's backward: the dy it reads and the gx it writes; null when none. */
    private float[] deferredDy;
    private float[] deferredGx;

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
        this.passes = new ChannelNorm(features);
        this.mean = new double[features];
        this.invStd = new double[features];
        this.variance = new double[features];
        this.sumG = new double[features];
        this.sumGCentered = new double[features];
        this.center = new float[features];
        this.scale = new float[features];
        this.scaleX = new float[features];
        this.shift = new float[features];
        this.outScale = new float[features];
        this.outShift = new float[features];
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

    /**
     * A copy with this layer's features over 64 rows, in training (batch statistics, the backward
     * through them), when the passes run on {@link ChannelNorm}'s vectors: they are a Java fallback,
     * many times slower and allocating, until C2 compiles them. The passes are the same for any row
     * count, so one copy per feature count warms every such layer.
     */
    @Override
    public WarmUp warmUp() {
        if (!"vector".equals(ChannelNorm.pathName())) {
            return null;
        }
        BatchNorm copy = new BatchNorm(name() + ".warmup", features, momentum, epsilon);
        penalty.copyTo(copy.penalty); // the penalised passes are other loops to compile
        Mode training = new Mode(0);
        training.differentiating();
        copy.useMode(training, 0);
        Tensor x = Tensor.randn(new Random(3), 64, features);
        Tensor out = Tensor.zeros(x.shape());
        Tensor gOut = Tensor.randn(new Random(4), 64, features);
        Tensor gx = Tensor.zeros(x.shape());
        return new WarmUp("BatchNorm " + features + penalty.keySuffix(), () -> {
            copy.forward(x, out);
            copy.backward(x, gOut, gx);
        });
    }

    /**
     * Computes {@code penalty} of this layer's output in every {@link #forward} (read it with
     * {@link #penalty()}) and adds {@code weight} times its gradient to dL/dout in every {@link
     * #backward}: the same values as computing the penalty and its gradient with the {@link
     * dev.tapgrad.runtime.Ops} on the output (the gradients bit for bit, the value to float
     * rounding), without passes of their own over the output. Generated graphs call it for an aux
     * loss that is exactly such a penalty on this layer's output.
     */
    public void penalize(OutputPenalty penalty, double weight) {
        this.penalty.set(penalty, weight);
    }

    /**
     * The unweighted output penalty of the latest {@link #forward}.
     *
     * @throws IllegalStateException if no penalty was set with {@link #penalize} or forward has not run
     */
    public double penalty() {
        return penalty.value(forwardRows >= 0);
    }

    private int penaltyKind() {
        return penalty.mode(ChannelNorm.NO_PENALTY, ChannelNorm.ABS, ChannelNorm.SQUARE);
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
     * or with the moving statistics (inference): one pass for the statistics, one for the output.
     *
     * @param x (..., features)
     * @param out the shape of x; overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int n = rows("forward", x, out);
        float[] in = x.buffer();
        lastTraining = mode.training();
        forwardRows = n;
        if (n == 0) {
            penalty.recordSum(0, 0);
            return; // an empty batch has no statistics to normalise with or to move towards
        }
        boolean fed = fedStatistics && fedOutput == in && fedRows == n;
        fedStatistics = false;
        if (lastTraining) {
            batchStatistics(in, n, fed);
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
        for (int c = 0; c < features; c++) {
            double k = g[c] * invStd[c];
            center[c] = (float) mean[c];
            scale[c] = (float) k;
            shift[c] = (float) (b[c] + k * (center[c] - mean[c]));
        }
        // backward overwrites scale and shift with its own coefficients; a penalty's gradient needs these
        System.arraycopy(scale, 0, outScale, 0, features);
        System.arraycopy(shift, 0, outShift, 0, features);
        double sum = passes.scaleShift(in, out.buffer(), n, center, scale, shift, penaltyKind());
        penalty.recordSum(sum, out.size());
    }

    /**
     * The batch's mean and biased variance (one pass, in double; or the sums the feeding
     * convolution took, {@code fed}) into mean and invStd; moves the moving ones in fit.
     */
    private void batchStatistics(float[] in, int n, boolean fed) {
        if (fed) {
            images.finishStatistics(mean, variance);
        } else {
            passes.statistics(in, n, mean, variance);
        }
        float[] mm = movingMean.value().buffer();
        float[] mv = movingVariance.value().buffer();
        for (int c = 0; c < features; c++) {
            invStd[c] = 1 / Math.sqrt(variance[c] + epsilon);
            if (mode.updatesStatistics()) {
                mm[c] = (float) (mm[c] * momentum + mean[c] * (1 - momentum));
                mv[c] = (float) (mv[c] * momentum + variance[c] * (1 - momentum));
            }
        }
    }

    /**
     * Back-propagates through the latest forward, which must have been on this x: adds dL/dgamma
     * and dL/dbeta to the parameters' gradients and dL/dx to gx. After a training forward the
     * gradient flows through the batch statistics too. x̂ is not kept: it is (x − mean)·invStd,
     * read again from x, which saves the forward a store of the whole activation.
     *
     * @param x (..., features), the input of the forward call
     * @param gOut the shape of x, dL/dout (without a {@link #penalize}d penalty's share, which the passes add; not written)
     * @param gx the shape of x, accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx) {
        backward(x, gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor, Tensor)}, but with {@code accumulate} false dL/dx
     * overwrites {@code gx} (the dx pass stores instead of adding): generated graphs pass false where
     * this layer is the first to give {@code gx} a gradient in a step, so that the buffer needs no
     * zeroing.
     */
    public void backward(Tensor x, Tensor gOut, Tensor gx, boolean accumulate) {
        int n = rows("backward", x, gOut);
        if (forwardRows != n) {
            throw new IllegalStateException("BatchNorm " + name() + " backward: call forward on this x first");
        }
        if (n == 0) {
            return;
        }
        float[] in = x.buffer();
        // dL/dout is gOut plus the penalty's gradient, added where the passes read gOut (gOut is not written)
        passes.penalizeGradient(penaltyKind(), penalty.scale(gOut.size()), outScale, outShift);
        // center and mean are still the forward's; Σ dy·x̂ = invStd·(Σ dy·(x − center) + (center − mean)·Σ dy)
        passes.gradientSums(gOut.buffer(), in, n, center, sumG, sumGCentered);
        float[] dGamma = gamma.grad().buffer();
        float[] dBeta = beta.grad().buffer();
        float[] gm = gamma.value().buffer();
        for (int c = 0; c < features; c++) {
            double sumGXhat = invStd[c] * (sumGCentered[c] + (center[c] - mean[c]) * sumG[c]);
            dGamma[c] += (float) sumGXhat;
            dBeta[c] += (float) sumG[c];
            // dx = k·(dy − Σdy/n − x̂·Σ(dy·x̂)/n) with k = gamma·invStd, x̂ = invStd·(x − center) + invStd·(center − mean)
            double k = gm[c] * invStd[c];
            double sx = lastTraining ? -k * invStd[c] * sumGXhat / n : 0;
            scale[c] = (float) k;
            scaleX[c] = (float) sx;
            shift[c] = lastTraining ? (float) (-k * sumG[c] / n + sx * (center[c] - mean[c])) : 0f;
        }
        deferredDy = null;
        deferredGx = null;
        if (gx != null && !accumulate && images != null && fedOutput == in && fedRows == n) {
            // the feeding convolution's backward writes dL/dx image by image just before it reads it
            passes.prepareGradient(center, scale, scaleX, shift);
            deferredDy = gOut.buffer();
            deferredGx = gx.buffer();
        } else if (gx != null) {
            passes.addGradient(gOut.buffer(), in, gx.buffer(), n, center, scale, scaleX, shift, accumulate);
        }
    }

    /** This layer's passes for a convolution that writes its input ({@link Conv2D#feedBatchNorm}). */
    ImagePasses fedBy(int channels) {
        if (channels != features) {
            throw new IllegalArgumentException("BatchNorm " + name() + ": fed " + channels + " channels, has " + features
                    + " features");
        }
        if (images == null) {
            images = new ImagePasses(passes);
        }
        return images;
    }

    /** Whether the next forward normalises with the batch's statistics (which the feeding convolution may sum). */
    boolean wantsStatistics() {
        return mode.training();
    }

    /** The feeding convolution wrote {@code rows} rows into {@code out}, and with {@code summed} took their sums. */
    void fed(float[] out, int rows, boolean summed) {
        fedOutput = out;
        fedRows = rows;
        fedStatistics = summed;
    }

    /**
     * The dy of a dL/dx this layer's backward left to the feeding convolution, when that dL/dx is
     * {@code gOut}, the convolution's dL/dout; null when none is pending. Taking it clears it.
     *
     * @throws IllegalStateException if a dL/dx is pending for another buffer: the graph read it elsewhere
     */
    float[] takeDeferredGradient(float[] gOut) {
        if (deferredGx == null) {
            return null;
        }
        if (deferredGx != gOut) {
            throw new IllegalStateException("BatchNorm " + name() + ": its dL/dx was left to the feeding Conv2D, whose"
                    + " backward got another dL/dout; feed a BatchNorm only from a Conv2D whose output it alone reads");
        }
        float[] dy = deferredDy;
        deferredDy = null;
        deferredGx = null;
        return dy;
    }

    /** Writes a pending dL/dx in one whole-batch pass (the convolution cannot take it image by image). */
    void writeDeferredGradient(float[] dy, float[] gx) {
        passes.addGradient(dy, fedOutput, gx, fedRows, center, scale, scaleX, shift, false);
    }

    private int rows(String op, Tensor x, Tensor other) {
        if (x.rank() < 1 || x.dim(-1) != features || !x.sameShape(other)) {
            throw new IllegalArgumentException("BatchNorm " + name() + " " + op + ": expected two tensors (..., " + features
                    + ") of one shape, got " + Arrays.toString(x.shape()) + " and " + Arrays.toString(other.shape()));
        }
        return x.size() / features;
    }
}
