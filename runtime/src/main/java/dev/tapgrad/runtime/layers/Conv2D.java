package dev.tapgrad.runtime.layers;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.conv.ConvGeometry;
import dev.tapgrad.runtime.kernel.conv.DirectConv;
import dev.tapgrad.runtime.kernel.math.Activations;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A 2-D convolution over channels-last images, {@code out = act(conv(x, kernel) + bias)}, as
 * Keras's {@code Conv2D} (cross-correlation, TensorFlow's SAME padding).
 *
 * <p>Shapes: x (B, height, width, channels); out (B, OH, OW, filters) with OH, OW from {@link
 * #outputSize}; kernel (kh, kw, channels, filters); bias (filters). Computed as im2col + GEMM:
 * each output pixel's patch is ordered (kh, kw, channels), so the kernel is already the
 * (kh·kw·channels, filters) matrix. The patches are stored one row per output pixel (pixels,
 * patch), each kernel row of a pixel one contiguous run of the channels-last image, so building
 * them is a few copies per pixel ({@link Im2colConv}). Patches are built a few images at a
 * time to bound the memory; a batch that fits is one chunk, computed in place.
 *
 * <p>Layers with small patches and many filters (a 3×3 kernel over one channel into 32 filters)
 * take {@link DirectConv} instead: no patches, bias and activation in the same pass as the
 * convolution, relu's derivative, the bias gradient and the kernel gradient in one pass, images
 * shared between cores ({@link ParallelFor}). Layers with larger patches take the same class's
 * per-image passes (kernel.conv's ImageConv: each thread computes whole images in its own cache;
 * on the Vector API, stride-1 layers by implicit-GEMM kernels without patches, dL/dx included);
 * with the Vector API's GEMM, strided ones stay on im2col + GEMM. Both paths write the GEMM's result or the direct
 * kernel's straight into {@code out}; only an activation whose derivative needs the pre-activation (GELU, ELU, SELU, SILU, SOFTPLUS, LEAKY_RELU) keeps it
 * in a buffer of its own (relu's derivative is read from out: out > 0 exactly when z > 0).
 */
public final class Conv2D extends AbstractLayer {
    private final Activation activation;
    private final ConvGeometry geometry;
    private final Parameter kernel;
    private final Parameter bias;
    /** The im2col + GEMM path; on the direct path its patch buffer serves dx only. */
    private final Im2colConv gemm;
    /** The direct kernel's scratch; null on the im2col path. */
    private DirectConv direct;

    // Scratch, reallocated only when the batch size changes.
    private int batch = -1;
    /** Pre-activation of the latest forward call, (B·OH·OW, filters); only when the activation's derivative reads it, empty otherwise. */
    private float[] z = new float[0];
    private float[] lastInput;

    /*
     * The direct kernel's passes over a part of the batch. A call's tensors and its floor or
     * penalty scale come in as arguments (ParallelFor hands them to every thread), so no call's
     * data is kept in fields; the activation and the penalty's mode are the layer's configuration.
     */
    private final ParallelFor.ArrayBody forwardBody = (x, bias, out, floor, from, to, slot) -> {
        // a fed BatchNorm's passes after each call's worth of images, while they are in cache
        for (int i = from, end; i < to; i = end) {
            end = this.feed.end(i, to);
            direct.forward(x, bias, out, floor, penaltyMode(), i, end, slot);
            this.feed.forwardImages(out, i, end, slot);
        }
    };
    private final ParallelFor.ArrayBody backwardBody = (x, out, grad, scale, from, to, slot) -> {
        for (int i = from, end; i < to; i = end) {
            end = this.feed.end(i, to);
            this.feed.backwardImages(out, grad, i, end, slot);
            direct.backward(x, out, grad, this.backwardGx, this.backwardAccumulates, reluInside(), penaltyMode(), scale,
                    i, end, slot);
        }
    };
    /** dL/dx of the backward call in progress (a fourth array the body's arguments have no room for); null between calls. */
    private float[] backwardGx;
    /** Whether the backward call in progress adds into {@link #backwardGx} (or overwrites it). */
    private boolean backwardAccumulates;

    /** An L1 or L2 penalty on the output computed in the layer's passes (see {@link #penalize}). */
    private final OutputPenaltySlot penalty = new OutputPenaltySlot("Conv2D", name());
    /** The BatchNorm this layer's passes feed ({@link #feedBatchNorm}); by default none. */
    private BatchNormFeed feed = BatchNormFeed.NONE;

    /** A convolution layer; parameters start at zero until {@link #initialize}. */
    public Conv2D(String name, int height, int width, int channels, int filters, int kernelH, int kernelW,
            int strideH, int strideW, Padding padding, Activation activation) {
        super(name);
        if (height <= 0 || width <= 0 || channels <= 0 || filters <= 0 || kernelH <= 0 || kernelW <= 0
                || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("Conv2D " + name + ": sizes must be positive, got input (" + height
                    + ", " + width + ", " + channels + "), filters " + filters + ", kernel (" + kernelH + ", "
                    + kernelW + "), strides (" + strideH + ", " + strideW + ")");
        }
        this.activation = activation;
        int outH = outputSize(height, kernelH, strideH, padding);
        int outW = outputSize(width, kernelW, strideW, padding);
        // TensorFlow puts the odd padding pixel at the bottom/right.
        int padTop = padding == Padding.SAME ? Math.max((outH - 1) * strideH + kernelH - height, 0) / 2 : 0;
        int padLeft = padding == Padding.SAME ? Math.max((outW - 1) * strideW + kernelW - width, 0) / 2 : 0;
        this.geometry = new ConvGeometry(height, width, channels, filters, kernelH, kernelW, strideH, strideW, outH,
                outW, padTop, padLeft);
        this.kernel = new Parameter(name + ".kernel", Tensor.zeros(kernelH, kernelW, channels, filters));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(filters));
        this.gemm = new Im2colConv(geometry);
        useDirect(DirectConv.suits(geometry));
    }

    /**
     * A copy of this convolution over one small image (two output rows of twelve pixels), with the
     * same channels, filters, kernel, strides, padding, activation and output penalty, hence the
     * same kernel path. Twelve pixels a row: the kernels run once per image, so C2 compiles them
     * after 600 calls once their loops have run some 15,000 iterations in all; with about 25
     * iterations a call both come together, in the fewest pixels run in the Vector API's slow
     * fallback (four pixels a row took 2.5 times as many calls).
     */
    @Override
    public WarmUp warmUp() {
        ConvGeometry g = geometry;
        boolean same = g.outH != outputSize(g.height, g.kernelH, g.strideH, Padding.VALID)
                || g.outW != outputSize(g.width, g.kernelW, g.strideW, Padding.VALID);
        int h = g.kernelH + g.strideH;
        int w = g.kernelW + 11 * g.strideW;
        Conv2D copy = new Conv2D(name() + ".warmup", h, w, g.channels, g.filters, g.kernelH, g.kernelW, g.strideH,
                g.strideW, same ? Padding.SAME : Padding.VALID, activation);
        penalty.copyTo(copy.penalty);
        copy.initialize(new Random(1));
        Tensor x = Tensor.randn(new Random(2), 1, h, w, g.channels);
        Tensor out = Tensor.zeros(copy.outputShape(x.shape()));
        Tensor gOut = Tensor.zeros(out.shape());
        Tensor gx = Tensor.zeros(x.shape());
        String key = "Conv2D " + g.channels + ">" + g.filters + " " + g.kernelH + "x" + g.kernelW + "/" + g.strideH
                + "x" + g.strideW + (same ? " same " : " valid ") + activation + " " + penalty.penalty() + " " + (direct != null);
        return new WarmUp(key, () -> {
            copy.forward(x, out);
            gOut.fill(0.01f);
            copy.backward(x, out, gOut, gx);
        });
    }

    /** Chooses the direct kernel (on vectors where it can) or im2col + GEMM; tests compare the two on the same layer. */
    void useDirect(boolean on) {
        useDirect(on, true);
    }

    /** As {@link #useDirect(boolean)}, the direct kernel's scalar loops when not {@code vector}; for tests. */
    void useDirect(boolean on, boolean vector) {
        direct = on ? new DirectConv(geometry, ParallelFor.slots(), vector) : null;
        batch = -1; // the scratch differs between the paths
        lastInput = null;
    }

    /**
     * Computes {@code penalty} of this layer's output in every {@link #forward} (read it with
     * {@link #penalty()}) and adds {@code weight} times its gradient to dL/dout at the start of
     * every {@link #backward}: the same values as computing the penalty and its gradient with the
     * ops on the output, but on the direct path with relu inside the layer's own passes instead
     * of four passes over the output of their own. Generated graphs call it for an aux loss that is
     * exactly such a penalty on this layer's output.
     *
     * @throws IllegalArgumentException if the weight is not finite
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
        return penalty.value(lastInput != null);
    }

    /**
     * Runs {@code next}'s statistics and dL/dx passes image by image in this layer's loops, while
     * each image is in cache: for a {@code next} that normalises this layer's output and alone gives
     * its dL/dout a gradient (other readers of the output are fine); generated graphs call it so.
     *
     * @throws IllegalArgumentException if next's features are not this layer's filters
     */
    public void feedBatchNorm(BatchNorm next) {
        feed = new BatchNormFeed(next, geometry.filters, geometry.outH * geometry.outW);
    }

    /** Whether the penalty is computed inside the direct kernel's passes (relu), not in passes of its own. */
    private boolean fusedPenalty() {
        return penalty.active() && direct != null && activation == Activation.RELU;
    }

    /** Whether relu is applied inside the layer's passes (floor 0 forward, its mask backward). */
    private boolean reluInside() {
        return activation == Activation.RELU;
    }

    private int penaltyMode() {
        return fusedPenalty() ? penalty.mode(DirectConv.NO_PENALTY, DirectConv.ABS, DirectConv.SQUARE) : DirectConv.NO_PENALTY;
    }

    /** Whether this layer computes with the direct kernel. */
    boolean usesDirect() {
        return direct != null;
    }

    /** Whether this layer computes with the direct kernel on the Vector API. */
    boolean usesVectorConv() {
        return direct != null && direct.vectorized();
    }

    /** Whether the direct kernel runs this layer's forward and dL/dx as Winograd's F(2×2, 3×3). */
    boolean usesWinograd() {
        return direct != null && direct.winograd();
    }

    /**
     * Output size along one axis: VALID {@code (in − kernel) / stride + 1}, SAME
     * {@code ceil(in / stride)}.
     *
     * @throws IllegalArgumentException if a size is not positive or a VALID kernel is larger than
     *     the input
     */
    public static int outputSize(int in, int kernel, int stride, Padding padding) {
        if (in <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("Conv2D.outputSize: input " + in + ", kernel " + kernel + " and stride "
                    + stride + " must be positive");
        }
        if (padding == Padding.SAME) {
            return (in + stride - 1) / stride;
        }
        if (kernel > in) {
            throw new IllegalArgumentException("Conv2D.outputSize: VALID kernel " + kernel + " is larger than input "
                    + in + "; use Padding.SAME or a smaller kernel");
        }
        return (in - kernel) / stride + 1;
    }

    /** Output height OH. */
    public int outputHeight() {
        return geometry.outH;
    }

    /** Output width OW. */
    public int outputWidth() {
        return geometry.outW;
    }

    /** x (B, height, width, channels) gives (B, OH, OW, filters), OH and OW from {@link #outputSize}. */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        String expected = "(B, " + geometry.height + ", " + geometry.width + ", " + geometry.channels + ")";
        int[] x = singleInput(inputShapes, 4, expected);
        if (x[1] != geometry.height || x[2] != geometry.width || x[3] != geometry.channels) {
            throw shapeError(expected, inputShapes);
        }
        return new int[] {x[0], geometry.outH, geometry.outW, geometry.filters};
    }

    /** The live kernel, (kh, kw, channels, filters). */
    public Tensor kernel() {
        return kernel.value();
    }

    /** The live bias, (filters). */
    public Tensor bias() {
        return bias.value();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, bias);
    }

    /** Glorot-uniform kernel with fan_in = kh·kw·channels, fan_out = kh·kw·filters; zero bias (Keras). */
    @Override
    public void initialize(Random random) {
        Initializers.glorotUniform(kernel.value(), geometry.kernelH * geometry.kernelW * geometry.channels, geometry.kernelH * geometry.kernelW * geometry.filters, random);
        bias.value().fill(0f);
    }

    /**
     * {@code out = act(conv(x, kernel) + bias)}.
     *
     * @param x (B, height, width, channels)
     * @param out (B, OH, OW, filters); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int b = ConvShapes.check(name(), geometry, "forward", x, out);
        ensureBatch(b);
        float[] in = x.buffer();
        float[] o = out.buffer();
        // The pre-activation goes straight into out, except where the derivative needs it (GELU, ELU, ...).
        float[] target = Activations.needsPreActivation(activation) ? z : o;
        boolean fusedRelu = activation == Activation.RELU;
        feed.beforeForward(b, direct != null && target == o && (fusedRelu || activation == Activation.LINEAR),
                direct == null ? b : direct.grain());
        if (direct != null) {
            direct.loadKernel(kernel.value().buffer());
            float floor = fusedRelu ? 0f : Float.NEGATIVE_INFINITY;
            ParallelFor.run(b, direct.grain(), forwardBody, in, bias.value().buffer(), target, floor);
        } else {
            gemm.forward(in, b, bias.value().buffer(), kernel.value().buffer(), target,
                    fusedRelu ? 0f : Float.NEGATIVE_INFINITY);
        }
        if (!fusedRelu && activation != Activation.LINEAR) {
            Activations.forward(activation, target, o, b * geometry.outH * geometry.outW, geometry.filters);
        }
        if (fusedPenalty()) {
            penalty.recordSum(direct.penaltySum(b), out.size());
        } else {
            penalty.record(out);
        }
        feed.afterForward(o, b);
        lastInput = in;
    }

    /**
     * Back-propagates through the latest {@link #forward} call, which must have been on this
     * {@code x}: adds dL/dkernel and dL/dbias to the parameters' gradients and, if {@code gx} is
     * not null, adds dL/dx to it (gradients from several consumers or taps accumulate).
     *
     * @param x (B, height, width, channels), the input of the forward call
     * @param out (B, OH, OW, filters), its output
     * @param gOut (B, OH, OW, filters), dL/dout; overwritten (it holds dL/dz afterwards)
     * @param gx (B, height, width, channels), dL/dx accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        backward(x, out, gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor, Tensor, Tensor)}, but with {@code accumulate} false dL/dx
     * overwrites {@code gx}: generated graphs pass false where this layer is the first to give
     * {@code gx} a gradient in a step, so that the buffer needs no zeroing pass of its own. The
     * implicit-GEMM path stores dL/dx; the patch paths (col2im adds overlapping patches) zero each
     * image's part of gx just before adding into it, in the thread that adds.
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx, boolean accumulate) {
        int b = ConvShapes.check(name(), geometry, "backward", x, out);
        ConvShapes.checkGradients(name(), x, out, gOut, gx);
        if (lastInput != x.buffer() || batch != b) {
            // The pre-activation belongs to the latest forward; a different input would silently give wrong gradients.
            throw new IllegalStateException("Conv2D " + name() + " backward: call forward on this x "
                    + Arrays.toString(x.shape()) + " first");
        }
        int pixels = geometry.outH * geometry.outW;
        float[] g = gOut.buffer();
        float[] o = out.buffer();
        float[] in = x.buffer();
        boolean relu = activation == Activation.RELU;
        // BatchNorm's dL/dx (this gOut) in the loop only where nothing reads gOut before it
        feed.beforeBackward(g, direct != null && relu && (fusedPenalty() || !penalty.active()),
                direct == null ? b : direct.grain());
        if (!fusedPenalty()) {
            penalty.addGradient(out, gOut);
        }
        if (direct != null) {
            if (!relu) {
                Activations.backward(activation, Activations.needsPreActivation(activation) ? z : o, o, g, b * pixels, geometry.filters);
            }
            float scale = penalty.scale(out.size());
            backwardGx = gx == null ? null : gx.buffer();
            backwardAccumulates = accumulate;
            try {
                ParallelFor.run(b, direct.grain(), backwardBody, in, o, g, scale);
            } finally {
                backwardGx = null;
                feed.afterBackward();
            }
            direct.reduce(b, kernel.grad().buffer(), bias.grad().buffer());
            if (gx == null || direct.inputGradient()) {
                return;
            }
            gemm.ensurePatches();
        } else {
            if (relu) {
                gemm.reluBackwardWithBiasGradient(o, g, b * pixels, bias.grad().buffer());
            } else {
                Activations.backward(activation, Activations.needsPreActivation(activation) ? z : o, o, g, b * pixels, geometry.filters);
                gemm.addBiasGradient(g, b * pixels, bias.grad().buffer());
            }
        }
        gemm.backward(in, b, g, kernel.value().buffer(), kernel.grad().buffer(), direct == null,
                gx == null ? null : gx.buffer(), accumulate);
    }

    private void ensureBatch(int b) {
        if (b == batch) {
            return;
        }
        int pixels = geometry.outH * geometry.outW;
        z = Activations.needsPreActivation(activation) ? new float[b * pixels * geometry.filters] : new float[0];
        // The direct path needs patches only for dx, which the first layer of a model skips: allocated then.
        gemm.ensureBatch(b, direct == null);
        if (direct != null) {
            direct.ensureBatch(b);
        }
        batch = b;
    }
}
