package dev.tapgrad.runtime.layers;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.math.Activations;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Keras's {@code Conv1D} over channels-last sequences, {@code out = act(conv(x, kernel) + bias)}
 * (cross-correlation, TensorFlow's SAME padding with the odd padding step at the end).
 *
 * <p>Shapes: x (B, steps, channels); out (B, OS, filters) with VALID {@code OS = (steps - k) /
 * stride + 1} and SAME {@code OS = ceil(steps / stride)}; kernel (k, channels, filters); bias
 * (filters). Its own loops: for each output step the (channels, filters) slices of the kernel are
 * rows the innermost loop runs along, so it stays contiguous without patches.
 */
public final class Conv1D extends AbstractLayer {
    private final int steps;
    private final int channels;
    private final int filters;
    private final int k;
    private final int stride;
    private final int outSteps;
    private final int padLeft;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;
    /** Kernel and bias gradients of one backward call, in double so long sums keep their low bits. */
    private final double[] kernelSums;
    private final double[] biasSums;
    /** The pre-activation of the latest forward, (B·OS, filters); reallocated only when the batch changes. */
    private float[] z = new float[0];
    private float[] lastInput;

    /** A convolution over (steps, channels) sequences; parameters start at zero until {@link #initialize}. */
    public Conv1D(String name, int steps, int channels, int filters, int kernelSize, int stride, Padding padding,
            Activation activation) {
        super(name);
        if (steps <= 0 || channels <= 0 || filters <= 0 || kernelSize <= 0 || stride <= 0) {
            throw new IllegalArgumentException("Conv1D " + name + ": sizes must be positive, got input (" + steps + ", "
                    + channels + "), filters " + filters + ", kernel " + kernelSize + ", stride " + stride);
        }
        this.outSteps = Pooling2D.outputSize(steps, kernelSize, stride, padding);
        if (outSteps <= 0) {
            throw new IllegalArgumentException("Conv1D " + name + ": a VALID kernel of " + kernelSize
                    + " does not fit " + steps + " steps");
        }
        this.steps = steps;
        this.channels = channels;
        this.filters = filters;
        this.k = kernelSize;
        this.stride = stride;
        this.padLeft = padding == Padding.SAME ? Math.max((outSteps - 1) * stride + kernelSize - steps, 0) / 2 : 0;
        this.activation = activation;
        this.kernel = new Parameter(name + ".kernel", Tensor.zeros(kernelSize, channels, filters));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(filters));
        this.kernelSums = new double[kernelSize * channels * filters];
        this.biasSums = new double[filters];
    }

    /** The live kernel, (k, channels, filters). */
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

    /** Glorot-uniform kernel with fans k·channels and k·filters, zero bias (Keras defaults). */
    @Override
    public void initialize(Random random) {
        Initializers.glorotUniform(kernel.value(), k * channels, k * filters, random);
        bias.value().fill(0f);
    }

    /** x (B, steps, channels) gives (B, OS, filters). */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        String expected = "(B, " + steps + ", " + channels + ")";
        int[] x = singleInput(inputShapes, 3, expected);
        if (x[1] != steps || x[2] != channels) {
            throw shapeError(expected, inputShapes);
        }
        return new int[] {x[0], outSteps, filters};
    }

    /**
     * @param x (B, steps, channels)
     * @param out (B, OS, filters); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int batch = check("forward", x, out);
        int rows = batch * outSteps;
        if (z.length != rows * filters) {
            z = new float[rows * filters];
        }
        float[] in = x.buffer();
        float[] w = kernel.value().buffer();
        float[] bv = bias.value().buffer();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                int zo = (b * outSteps + t) * filters;
                System.arraycopy(bv, 0, z, zo, filters);
                for (int j = 0; j < k; j++) {
                    int s = t * stride + j - padLeft;
                    if (s < 0 || s >= steps) {
                        continue;
                    }
                    int xo = (b * steps + s) * channels;
                    for (int c = 0; c < channels; c++) {
                        float xv = in[xo + c];
                        int wo = (j * channels + c) * filters;
                        for (int f = 0; f < filters; f++) {
                            z[zo + f] += xv * w[wo + f];
                        }
                    }
                }
            }
        }
        Activations.forward(activation, z, out.buffer(), rows, filters);
        lastInput = in;
    }

    /**
     * Back-propagates through the latest {@link #forward}, which must have been on this x: adds
     * dL/dkernel and dL/dbias to the parameters' gradients and dL/dx to gx when it is not null.
     *
     * @param x (B, steps, channels), the input of the forward call
     * @param out (B, OS, filters), its output
     * @param gOut (B, OS, filters), dL/dout; overwritten (it holds dL/dz afterwards)
     * @param gx (B, steps, channels), dL/dx accumulated into; or null
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        int batch = check("backward", x, out);
        if (!gOut.sameShape(out) || gx != null && !gx.sameShape(x)) {
            throw new IllegalArgumentException("Conv1D " + name() + " backward: gOut and gx must have the shapes of out "
                    + Arrays.toString(out.shape()) + " and x " + Arrays.toString(x.shape()));
        }
        if (lastInput != x.buffer() || z.length != batch * outSteps * filters) {
            throw new IllegalStateException("Conv1D " + name() + " backward: call forward on this x "
                    + Arrays.toString(x.shape()) + " first");
        }
        float[] g = gOut.buffer();
        Activations.backward(activation, z, out.buffer(), g, batch * outSteps, filters);
        float[] in = x.buffer();
        float[] w = kernel.value().buffer();
        float[] dx = gx == null ? null : gx.buffer();
        Arrays.fill(kernelSums, 0);
        Arrays.fill(biasSums, 0);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                int go = (b * outSteps + t) * filters;
                for (int f = 0; f < filters; f++) {
                    biasSums[f] += g[go + f];
                }
                for (int j = 0; j < k; j++) {
                    int s = t * stride + j - padLeft;
                    if (s < 0 || s >= steps) {
                        continue;
                    }
                    int xo = (b * steps + s) * channels;
                    for (int c = 0; c < channels; c++) {
                        float xv = in[xo + c];
                        int wo = (j * channels + c) * filters;
                        float dxv = 0;
                        for (int f = 0; f < filters; f++) {
                            kernelSums[wo + f] += xv * g[go + f];
                            dxv += w[wo + f] * g[go + f];
                        }
                        if (dx != null) {
                            dx[xo + c] += dxv;
                        }
                    }
                }
            }
        }
        float[] gk = kernel.grad().buffer();
        for (int i = 0; i < gk.length; i++) {
            gk[i] += (float) kernelSums[i];
        }
        float[] gb = bias.grad().buffer();
        for (int f = 0; f < filters; f++) {
            gb[f] += (float) biasSums[f];
        }
    }

    private int check(String op, Tensor x, Tensor out) {
        boolean ok = x.rank() == 3 && x.dim(1) == steps && x.dim(2) == channels && out.rank() == 3
                && out.dim(0) == x.dim(0) && out.dim(1) == outSteps && out.dim(2) == filters;
        if (!ok) {
            throw new IllegalArgumentException("Conv1D " + name() + " " + op + ": expected x (B, " + steps + ", " + channels
                    + ") and out (B, " + outSteps + ", " + filters + "), got x " + Arrays.toString(x.shape()) + " and out "
                    + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }
}
