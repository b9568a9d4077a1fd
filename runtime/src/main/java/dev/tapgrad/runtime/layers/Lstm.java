package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import dev.tapgrad.runtime.kernel.gemm.SmallGemm;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A long short-term memory layer, as Keras's {@code LSTM} with its defaults: tanh activation,
 * sigmoid recurrent activation, zero initial state, unit forget bias. At step t, with
 * {@code z = x_t · kernel + h_{t−1} · recurrent_kernel + bias} split into four blocks of {@code
 * units} columns in Keras's gate order i, f, c, o:
 *
 * <pre>
 * i = σ(z_i)   f = σ(z_f)   g = tanh(z_c)   o = σ(z_o)
 * c_t = f · c_{t−1} + i · g        h_t = o · tanh(c_t)        h_{−1} = c_{−1} = 0
 * </pre>
 *
 * <p>Shapes: x (B, steps, features); out (B, steps, units) holding every h_t when {@code
 * returnSequences}, else (B, units) holding the last one; kernel (features, 4·units);
 * recurrent_kernel (units, 4·units); bias (4·units). The input projection of all steps is one
 * GEMM, each step one (B, units)·(units, 4·units) GEMM; backward runs through time and gathers the
 * three weight gradients in one GEMM each. Gates and cell states are kept time-major in buffers
 * that are reallocated only when the batch size changes.
 */
public final class Lstm extends AbstractLayer {
    private final int steps;
    private final int features;
    private final int units;
    private final boolean returnSequences;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;
    /** Column sums of the bias gradient, in double so that long sequences do not lose low bits. */
    private final double[] biasSums;
    /** recurrent_kernelᵀ, (4·units, units), written at the start of each backward: dL/dh_{t−1}'s product reads it row by row. */
    private final float[] recurrentT;

    // Gates and states of the latest forward call, and backward's scratch.
    /**
     * At most this many parts of a batch run their recurrences independently (on different cores
     * when there are any), each of at least {@link #PART_ROWS} examples.
     */
    static final int MAX_PARTS = 4;
    static final int PART_ROWS = 16;

    /** One state per part of the batch; {@link #partCount} of them are in use. */
    private final LstmState[] parts;
    private int partCount;
    private int batch = -1;
    private float[] lastInput;
    /** The arrays of the call in progress, read by the part bodies (fields, so a call allocates nothing). */
    private float[] callX;
    private float[] callOut;
    private float[] callGOut;
    private final ParallelFor.Body forwardParts = (from, to, slot) -> {
        for (int p = from; p < to; p++) {
            forwardPart(p);
        }
    };
    private final ParallelFor.Body backwardParts = (from, to, slot) -> {
        for (int p = from; p < to; p++) {
            backwardPart(p);
        }
    };

    /**
     * An LSTM over sequences of {@code steps} vectors of {@code features} values; parameters start
     * at zero until {@link #initialize}.
     */
    public Lstm(String name, int steps, int features, int units, boolean returnSequences) {
        super(name);
        if (steps <= 0 || features <= 0 || units <= 0) {
            throw new IllegalArgumentException("Lstm " + name + ": steps, features and units must be positive, got steps="
                    + steps + ", features=" + features + ", units=" + units);
        }
        this.steps = steps;
        this.features = features;
        this.units = units;
        this.returnSequences = returnSequences;
        this.kernel = new Parameter(name + ".kernel", Tensor.zeros(features, 4 * units));
        this.recurrentKernel = new Parameter(name + ".recurrent_kernel", Tensor.zeros(units, 4 * units));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(4 * units));
        this.biasSums = new double[4 * units];
        this.recurrentT = new float[4 * units * units];
        this.parts = new LstmState[MAX_PARTS];
        for (int p = 0; p < MAX_PARTS; p++) {
            parts[p] = new LstmState(steps, features, units);
        }
    }

    /** Length T of the input sequences. */
    public int steps() {
        return steps;
    }

    /** Size F of each input vector. */
    public int features() {
        return features;
    }

    /** Size u of the state h (and of each gate). */
    public int units() {
        return units;
    }

    /** Whether the output is every h_t, (B, steps, units), rather than the last, (B, units). */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** The live kernel, (features, 4·units), gate blocks i, f, c, o. */
    public Tensor kernel() {
        return kernel.value();
    }

    /** The live recurrent kernel, (units, 4·units), gate blocks i, f, c, o. */
    public Tensor recurrentKernel() {
        return recurrentKernel.value();
    }

    /** The live bias, (4·units), gate blocks i, f, c, o. */
    public Tensor bias() {
        return bias.value();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, recurrentKernel, bias);
    }

    /** x (B, steps, features) gives (B, steps, units) when {@code returnSequences}, else (B, units). */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        String expected = "(B, " + steps + ", " + features + ")";
        int[] x = singleInput(inputShapes, 3, expected);
        if (x[1] != steps || x[2] != features) {
            throw shapeError(expected, inputShapes);
        }
        return returnSequences ? new int[] {x[0], steps, units} : new int[] {x[0], units};
    }

    /**
     * Keras defaults: Glorot-uniform kernel (fan_in = features, fan_out = 4·units), orthogonal
     * recurrent kernel (orthonormal rows, see {@link Orthogonal}), bias zero except the forget
     * block f = 1 ({@code unit_forget_bias}).
     */
    @Override
    public void initialize(Random random) {
        Initializers.glorotUniform(kernel.value(), features, 4 * units, random);
        Orthogonal.fill(recurrentKernel.value(), units, 4 * units, random);
        float[] b = bias.value().buffer();
        Arrays.fill(b, 0f);
        Arrays.fill(b, units, 2 * units, 1f);
    }

    /**
     * Runs the sequence from the zero state.
     *
     * @param x (B, steps, features)
     * @param out (B, steps, units) when returnSequences, else (B, units); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int b = checkShapes("forward", x, out);
        split(b);
        callX = x.buffer();
        callOut = out.buffer();
        try {
            ParallelFor.run(partCount, 1, forwardParts);
        } finally {
            callX = null;
            callOut = null;
        }
        lastInput = x.buffer();
    }

    /**
     * Splits a batch of {@code b} into parts of at least {@link #PART_ROWS} examples, at most
     * {@link #MAX_PARTS}: by the batch size alone, never by the number of cores, so that results
     * do not depend on the machine (each part's sums run in its own order).
     */
    private void split(int b) {
        if (b == batch) {
            return;
        }
        partCount = Math.max(1, Math.min(MAX_PARTS, b / PART_ROWS));
        for (int p = 0, lo = 0; p < partCount; p++) {
            int size = b / partCount + (p < b % partCount ? 1 : 0);
            parts[p].ensureBatch(lo, size);
            lo += size;
        }
        batch = b;
    }

    /** The recurrence of one part: its input projection, then every step's recurrent product and cell. */
    private void forwardPart(int p) {
        LstmState st = parts[p];
        int b = st.batch;
        int g4 = 4 * units;
        int rows = steps * b;
        st.toTimeMajor(callX);
        float[] bv = bias.value().buffer();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bv, 0, st.gates, r * g4, g4);
        }
        Gemm.gemm(false, false, rows, g4, features, st.xt, kernel.value().buffer(), st.gates, true);
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                SmallGemm.product(b, g4, units, st.hStep, recurrentKernel.value().buffer(), st.step, false);
            }
            st.cellForward(t);
        }
        st.copyOut(callOut, returnSequences);
    }

    /**
     * Back-propagates through time through the latest {@link #forward} call, which must have been
     * on this {@code x}: adds dL/dkernel, dL/drecurrent_kernel and dL/dbias to the parameters'
     * gradients and, if {@code gx} is not null, adds dL/dx to it.
     *
     * @param x (B, steps, features), the input of the forward call
     * @param out its output, (B, steps, units) or (B, units)
     * @param gOut dL/dout, shaped as out; only read
     * @param gx (B, steps, features), dL/dx accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        int b = checkShapes("backward", x, out);
        if (!gOut.sameShape(out)) {
            throw new IllegalArgumentException("Lstm " + name() + " backward: gOut " + Arrays.toString(gOut.shape())
                    + " must have the shape of out " + Arrays.toString(out.shape()));
        }
        if (gx != null && !gx.sameShape(x)) {
            throw new IllegalArgumentException("Lstm " + name() + " backward: gx " + Arrays.toString(gx.shape())
                    + " must have the shape of x " + Arrays.toString(x.shape()));
        }
        if (lastInput != x.buffer() || batch != b) {
            // The gates belong to the latest forward; a different input would silently give wrong gradients.
            throw new IllegalStateException("Lstm " + name() + " backward: call forward on this x "
                    + Arrays.toString(x.shape()) + " first");
        }
        transposeRecurrent();
        callGOut = gOut.buffer();
        try {
            ParallelFor.run(partCount, 1, backwardParts);
        } finally {
            callGOut = null;
        }
        // The weight gradients sum over every part, so they are added one part after the other
        // (each product is large enough to be shared between the cores by itself).
        int g4 = 4 * units;
        Arrays.fill(biasSums, 0);
        for (int p = 0; p < partCount; p++) {
            LstmState st = parts[p];
            int rows = steps * st.batch;
            // Block t of hs is h_{t−1}, so its leading rows line up with dz; block 0 (zeros) adds nothing.
            Gemm.gemm(true, false, units, g4, rows, st.hs, st.dz, recurrentKernel.grad().buffer(), true);
            st.toTimeMajor(x.buffer());
            Gemm.gemm(true, false, features, g4, rows, st.xt, st.dz, kernel.grad().buffer(), true);
            for (int j = 0; j < g4; j++) {
                biasSums[j] += st.biasSums[j];
            }
            if (gx != null) {
                // The time-major input is no longer needed, so its buffer takes dL/dx.
                Gemm.gemm(false, true, rows, features, g4, st.dz, kernel.value().buffer(), st.xt, false);
                st.addFromTimeMajor(gx.buffer());
            }
        }
        float[] gb = bias.grad().buffer();
        for (int j = 0; j < g4; j++) {
            gb[j] += (float) biasSums[j];
        }
    }

    /** Back-propagation through time of one part: dL/dz of every step, and dL/dh flowing back. */
    private void backwardPart(int p) {
        LstmState st = parts[p];
        int g4 = 4 * units;
        st.startBackward();
        for (int t = steps - 1; t >= 0; t--) {
            st.cellBackward(t, callGOut, returnSequences);
            if (t > 0) {
                SmallGemm.product(st.batch, units, g4, st.step, recurrentT, st.dh, false);
            }
        }
    }

    /** Fills {@link #recurrentT}: once per backward, so that the step products read B in place. */
    private void transposeRecurrent() {
        float[] u = recurrentKernel.value().buffer();
        int g4 = 4 * units;
        for (int i = 0; i < units; i++) {
            for (int j = 0; j < g4; j++) {
                recurrentT[j * units + i] = u[i * g4 + j];
            }
        }
    }

    /** Checks x (B, steps, features) against out (B, steps, units) or (B, units); returns B; allocates nothing. */
    private int checkShapes(String op, Tensor x, Tensor out) {
        boolean ok = x.rank() == 3 && x.dim(1) == steps && x.dim(2) == features
                && (returnSequences
                        ? out.rank() == 3 && out.dim(0) == x.dim(0) && out.dim(1) == steps && out.dim(2) == units
                        : out.rank() == 2 && out.dim(0) == x.dim(0) && out.dim(1) == units);
        if (!ok) {
            throw new IllegalArgumentException("Lstm " + name() + " " + op + ": expected x (B, " + steps + ", "
                    + features + ") and out (B, " + (returnSequences ? steps + ", " : "") + units + "), got x "
                    + Arrays.toString(x.shape()) + " and out " + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }
}
