package dev.tapgrad.runtime.layers;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.math.Activations;
import dev.tapgrad.runtime.kernel.math.ReluRows;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A fully connected layer, {@code out = act(x · kernel + bias)}, applied to the last axis (as
 * Keras's {@code Dense}), so a (B, T, inputs) input gives a (B, T, units) output.
 *
 * <p>Shapes: x (..., inputs), out (..., units) with the same leading dimensions; kernel (inputs,
 * units); bias (units). The N = x.size() / inputs rows are one GEMM.
 */
public final class Dense extends AbstractLayer {
    private final int inputs;
    private final int units;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;
    /** Column sums of the bias gradient, in double so that large batches do not lose low bits. */
    private final double[] biasSums;
    /**
     * The pre-activation x · kernel + bias of the latest forward call, (N, units), kept only for an
     * activation whose derivative needs it (GELU, ...); the others compute in the output itself.
     */
    private float[] z = new float[0];
    private int rows = -1;
    private float[] lastInput;
    /** An L1 or L2 penalty on the output (see {@link #penalize}). */
    private final OutputPenaltySlot penalty = new OutputPenaltySlot("Dense", name());
    /** {@link #reluForwardRows}, shared between the cores by {@link ParallelFor} on a large batch. */
    private final ParallelFor.ArrayBody reluForward = this::reluForwardRows;
    /** {@link #reluBackwardColumns}, shared likewise. */
    private final ParallelFor.ArrayBody reluBackward = this::reluBackwardColumns;

    /**
     * A layer mapping {@code inputs} features to {@code units}; parameters start at zero until
     * {@link #initialize}.
     */
    public Dense(String name, int inputs, int units, Activation activation) {
        super(name);
        if (inputs <= 0 || units <= 0) {
            throw new IllegalArgumentException("Dense " + name + ": inputs and units must be positive, got inputs="
                    + inputs + ", units=" + units);
        }
        this.inputs = inputs;
        this.units = units;
        this.activation = activation;
        this.kernel = new Parameter(name + ".kernel", Tensor.zeros(inputs, units));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(units));
        this.biasSums = new double[units];
    }

    /** Size of the last axis of the input. */
    public int inputs() {
        return inputs;
    }

    /** Size of the last axis of the output. */
    public int units() {
        return units;
    }

    /** The activation applied after the affine map. */
    public Activation activation() {
        return activation;
    }

    /** The live kernel, (inputs, units). */
    public Tensor kernel() {
        return kernel.value();
    }

    /** The live bias, (units). */
    public Tensor bias() {
        return bias.value();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, bias);
    }

    /** x (B, ..., inputs) gives (B, ..., units): the last axis maps to units, the others stay. */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        int[] x = singleInput(inputShapes, -1, "(B, ..., " + inputs + ")");
        if (x[x.length - 1] != inputs) {
            throw shapeError("(B, ..., " + inputs + ")", inputShapes);
        }
        int[] out = x.clone();
        out[out.length - 1] = units;
        return out;
    }

    /** Glorot-uniform kernel with limit √(6 / (inputs + units)), zero bias (Keras defaults). */
    @Override
    public void initialize(Random random) {
        Initializers.glorotUniform(kernel.value(), inputs, units, random);
        bias.value().fill(0f);
    }

    /**
     * {@code out = act(x · kernel + bias)} row by row.
     *
     * @param x (..., inputs)
     * @param out (..., units), same leading dimensions as x; overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int n = checkShapes("forward", x, out);
        boolean keepsZ = Activations.needsPreActivation(activation);
        if (n != rows) {
            // Reallocated only when the row count changes, so steady-state steps allocate nothing.
            z = keepsZ ? new float[n * units] : new float[0];
            rows = n;
        }
        // Without z the product lands in out and the activation runs in place: one buffer less
        // for the caches, the same values.
        float[] target = keepsZ ? z : out.buffer();
        float[] b = bias.value().buffer();
        for (int r = 0; r < n; r++) {
            System.arraycopy(b, 0, target, r * units, units);
        }
        Gemm.gemm(false, false, n, units, inputs, x.buffer(), kernel.value().buffer(), target, true);
        if (activation == Activation.RELU) {
            // about four chunks of rows; a small output stays on this thread (one chunk)
            int grain = (long) n * units < SHARED ? n : Math.max(1, (n + 3) / 4);
            ParallelFor.run(n, grain, reluForward, target, null, null, 0f);
        } else {
            Activations.forward(activation, target, out.buffer(), n, units);
        }
        penalty.record(out);
        lastInput = x.buffer();
    }

    /**
     * Computes {@code penalty} of this layer's output in every {@link #forward} (read it with
     * {@link #penalty()}) and adds {@code weight} times its gradient to dL/dout in every {@link
     * #backward}: the same values as computing the penalty and its gradient with the ops on the
     * output, but with relu the gradient is added in the pass that takes relu's derivative, not
     * in a pass of its own. Generated graphs call it for an aux loss that is exactly such a
     * penalty on this layer's output (an activity regularizer).
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
     * A copy with this layer's activation for a batch of 32, over at most 143 inputs and units:
     * small, and still taking the GEMM kernels the layer's own products take at the batches users
     * train with. A width above 96 becomes 96 plus its remainder modulo 48 (the widest tile's
     * columns, a multiple of the narrower ones), so that the copy's products choose the same
     * kernel (tiled or skinny, transposed or not) and the same edge tiles as the layer's: with at
     * most 32 inputs a 21,632-input head ran only the two-vector tile, and its three-vector tile
     * was left to the first epoch, in the Vector API's fallback.
     */
    @Override
    public WarmUp warmUp() {
        int in = warmUpWidth(inputs);
        int out = warmUpWidth(units);
        Dense copy = new Dense(name() + ".warmup", in, out, activation);
        copy.initialize(new Random(1));
        penalty.copyTo(copy.penalty);
        Tensor x = Tensor.randn(new Random(2), 32, in);
        Tensor y = Tensor.zeros(32, out);
        Tensor gOut = Tensor.zeros(32, out);
        Tensor gx = Tensor.zeros(32, in);
        return new WarmUp("Dense " + in + ">" + out + " " + activation + penalty.keySuffix(), () -> {
            copy.forward(x, y);
            gOut.fill(0.01f);
            copy.backward(x, y, gOut, gx);
        }, WARM_UP_PERIOD);
    }

    /**
     * The copy's period: every fourth round of the warm-up's at most 2000 stays below the 600 calls
     * after which C2 compiles the layer's own forward and backward (which do not need it: C1 runs
     * them as fast), while the products' tiles, several a pass, still pass C2's thresholds.
     */
    private static final int WARM_UP_PERIOD = 4;

    /** A width of a warm-up copy: see {@link #warmUp}. */
    static int warmUpWidth(int width) {
        return width <= 96 ? width : 96 + width % 48;
    }

    /**
     * Back-propagates through the latest {@link #forward} call, which must have been on this
     * {@code x}: adds dL/dkernel and dL/dbias to the parameters' gradients (overwrites them after
     * {@link #overwriteParameterGradients}) and, if {@code gx} is not null, adds dL/dx to it (a
     * layer output read by several consumers, or tapped by an aux loss, collects its gradient from
     * all of them). With a {@link #penalize penalty}, dL/dout includes the penalty's gradient.
     *
     * @param x (..., inputs), the input of the forward call
     * @param out (..., units), its output
     * @param gOut (..., units), dL/dout; overwritten (it holds dL/dz afterwards)
     * @param gx (..., inputs), dL/dx accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        backward(x, out, gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor, Tensor, Tensor)}, but with {@code accumulate} false dL/dx
     * overwrites {@code gx} (the GEMM writes it, with no pass over gx before): generated graphs pass
     * false where this layer is the first to give {@code gx} a gradient in a step, so that the
     * buffer needs no zeroing.
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx, boolean accumulate) {
        int n = checkShapes("backward", x, out);
        if (!gOut.sameShape(out)) {
            throw new IllegalArgumentException("Dense " + name() + " backward: gOut " + Arrays.toString(gOut.shape())
                    + " must have the shape of out " + Arrays.toString(out.shape()));
        }
        if (gx != null && !gx.sameShape(x)) {
            throw new IllegalArgumentException("Dense " + name() + " backward: gx " + Arrays.toString(gx.shape())
                    + " must have the shape of x " + Arrays.toString(x.shape()));
        }
        if (lastInput != x.buffer() || rows != n) {
            // z belongs to the latest forward; a different input would silently give wrong gradients.
            throw new IllegalStateException("Dense " + name() + " backward: call forward on this x "
                    + Arrays.toString(x.shape()) + " first");
        }
        float[] g = gOut.buffer();
        float[] o = out.buffer();
        boolean addParameters = !overwritesParameterGradients();
        Arrays.fill(biasSums, 0);
        if (activation == Activation.RELU) {
            // relu's derivative, the penalty's gradient and the bias sums in one pass, by columns
            float scale = penalty.scale(out.size());
            int grain = (long) n * units < SHARED ? units : Math.max(16, (units / 4 + 15) / 16 * 16);
            ParallelFor.run(units, grain, reluBackward, o, g, null, scale);
        } else {
            penalty.addGradient(out, gOut);
            Activations.backward(activation, Activations.needsPreActivation(activation) ? z : o, o, g, n, units);
            for (int r = 0; r < n; r++) {
                addBiasSums(g, r * units);
            }
        }
        Gemm.gemm(true, false, inputs, units, n, x.buffer(), g, kernel.grad().buffer(), addParameters);
        float[] gb = bias.grad().buffer();
        for (int j = 0; j < units; j++) {
            gb[j] = addParameters ? gb[j] + (float) biasSums[j] : (float) biasSums[j];
        }
        if (gx != null) {
            Gemm.gemm(false, true, n, inputs, units, g, kernel.value().buffer(), gx.buffer(), accumulate);
        }
    }

    /** Relu forward over rows {@code [from, to)} of the output, in place. */
    private void reluForwardRows(float[] out, float[] unused, float[] none, float value, int from, int to, int slot) {
        ReluRows.forward(out, from * units, to * units);
    }

    /**
     * Relu's derivative (with the penalty's gradient, scaled by {@code scale}) and the bias sums
     * for columns {@code [from, to)} over every row: a thread owns whole columns, so each column's
     * sum is added in row order whichever thread runs it, and the bits do not depend on the threads.
     */
    private void reluBackwardColumns(float[] out, float[] g, float[] none, float scale, int from, int to, int slot) {
        int kind = penalty.mode(ReluRows.NONE, ReluRows.ABS, ReluRows.SQUARE);
        for (int r = 0; r < rows; r++) {
            int off = r * units;
            ReluRows.backward(out, g, off + from, off + to, kind, scale);
            for (int j = from; j < to; j++) {
                biasSums[j] += g[off + j];
            }
        }
    }

    /** Below this many output values a relu pass stays on the calling thread: waking a helper costs more. */
    private static final long SHARED = 32_768;

    /** Adds the row of dL/dz at {@code off} to the bias sums: each column's sum in row order. */
    private void addBiasSums(float[] g, int off) {
        for (int j = 0; j < units; j++) {
            biasSums[j] += g[off + j];
        }
    }

    /** The kernel's gradient is one GEMM (written with beta 0) and the bias's one sum per unit. */
    @Override
    protected boolean canOverwriteParameterGradients() {
        return true;
    }

    /** Checks x (..., inputs) against out (..., units) and returns the row count; allocates nothing. */
    private int checkShapes(String op, Tensor x, Tensor out) {
        boolean ok = x.rank() >= 1 && out.rank() == x.rank() && x.dim(-1) == inputs && out.dim(-1) == units;
        for (int d = 0; ok && d < x.rank() - 1; d++) {
            ok = x.dim(d) == out.dim(d);
        }
        if (!ok) {
            throw new IllegalArgumentException("Dense " + name() + " " + op + ": expected x (..., " + inputs
                    + ") and out (..., " + units + ") with the same leading dimensions, got x "
                    + Arrays.toString(x.shape()) + " and out " + Arrays.toString(out.shape()));
        }
        return x.size() / inputs;
    }
}
