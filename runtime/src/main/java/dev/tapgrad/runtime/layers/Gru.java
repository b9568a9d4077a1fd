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
 * A gated recurrent unit, as Keras's {@code GRU} with its defaults ({@code reset_after = true},
 * tanh activation, sigmoid recurrent activation, zero initial state). At step t, with the input
 * projection {@code x_t · kernel + bias[0]} and the recurrent one {@code h_{t−1} ·
 * recurrent_kernel + bias[1]}, each split into blocks of {@code units} columns in Keras's gate
 * order z, r, h:
 *
 * <pre>
 * z = σ(x_z + h_z)   r = σ(x_r + h_r)   h̃ = tanh(x_h + r · h_h)
 * h_t = z · h_{t−1} + (1 − z) · h̃        h_{−1} = 0
 * </pre>
 *
 * <p>Shapes: x (B, steps, features); out (B, steps, units) holding every h_t when {@code
 * returnSequences}, else (B, units) holding the last one; kernel (features, 3·units);
 * recurrent_kernel (units, 3·units); bias (2, 3·units), the input row then the recurrent row. The
 * input projection of all steps is one GEMM, each step one (B, units)·(units, 3·units) GEMM;
 * backward runs through time and gathers the weight gradients in one GEMM each. The batch is split
 * into parts as {@link Lstm}'s; buffers are reallocated only when the batch size changes.
 */
public final class Gru extends AbstractLayer {
    private final int steps;
    private final int features;
    private final int units;
    private final boolean returnSequences;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;
    /** Column sums of the bias gradient (both rows), in double so that long sequences do not lose low bits. */
    private final double[] biasSums;
    /** recurrent_kernelᵀ, (3·units, units), written at the start of each backward: dL/dh_{t−1}'s product reads it row by row. */
    private final float[] recurrentT;

    /** One state per part of the batch; {@link #partCount} of them are in use. */
    private final GruState[] parts;
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

    /** A GRU over sequences of {@code steps} vectors of {@code features} values; parameters zero until {@link #initialize}. */
    public Gru(String name, int steps, int features, int units, boolean returnSequences) {
        super(name);
        if (steps <= 0 || features <= 0 || units <= 0) {
            throw new IllegalArgumentException("Gru " + name + ": steps, features and units must be positive, got steps="
                    + steps + ", features=" + features + ", units=" + units);
        }
        this.steps = steps;
        this.features = features;
        this.units = units;
        this.returnSequences = returnSequences;
        this.kernel = new Parameter(name + ".kernel", Tensor.zeros(features, 3 * units));
        this.recurrentKernel = new Parameter(name + ".recurrent_kernel", Tensor.zeros(units, 3 * units));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(2, 3 * units));
        this.biasSums = new double[6 * units];
        this.recurrentT = new float[3 * units * units];
        this.parts = new GruState[Lstm.MAX_PARTS];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new GruState(steps, features, units);
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

    /** The live kernel, (features, 3·units), gate blocks z, r, h. */
    public Tensor kernel() {
        return kernel.value();
    }

    /** The live recurrent kernel, (units, 3·units), gate blocks z, r, h. */
    public Tensor recurrentKernel() {
        return recurrentKernel.value();
    }

    /** The live bias, (2, 3·units): the input bias row, then the recurrent bias row. */
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
     * Keras defaults: Glorot-uniform kernel (fan_in = features, fan_out = 3·units), orthogonal
     * recurrent kernel (see {@link Orthogonal}), zero bias.
     */
    @Override
    public void initialize(Random random) {
        Initializers.glorotUniform(kernel.value(), features, 3 * units, random);
        Orthogonal.fill(recurrentKernel.value(), units, 3 * units, random);
        Arrays.fill(bias.value().buffer(), 0f);
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

    /** Splits a batch as {@link Lstm} does: by the batch size alone, so results do not depend on the machine. */
    private void split(int b) {
        if (b == batch) {
            return;
        }
        partCount = Math.max(1, Math.min(Lstm.MAX_PARTS, b / Lstm.PART_ROWS));
        for (int p = 0, lo = 0; p < partCount; p++) {
            int size = b / partCount + (p < b % partCount ? 1 : 0);
            parts[p].ensureBatch(lo, size);
            lo += size;
        }
        batch = b;
    }

    /** The recurrence of one part: its input projection, then every step's recurrent product and cell. */
    private void forwardPart(int p) {
        GruState st = parts[p];
        int b = st.batch;
        int g3 = 3 * units;
        int rows = steps * b;
        st.toTimeMajor(callX);
        float[] bv = bias.value().buffer();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bv, 0, st.gates, r * g3, g3);
        }
        Gemm.gemm(false, false, rows, g3, features, st.xt, kernel.value().buffer(), st.gates, true);
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < b; n++) {
                System.arraycopy(bv, g3, st.step, n * g3, g3);
            }
            if (t > 0) {
                SmallGemm.product(b, g3, units, st.hStep, recurrentKernel.value().buffer(), st.step, true);
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
            throw new IllegalArgumentException("Gru " + name() + " backward: gOut " + Arrays.toString(gOut.shape())
                    + " must have the shape of out " + Arrays.toString(out.shape()));
        }
        if (gx != null && !gx.sameShape(x)) {
            throw new IllegalArgumentException("Gru " + name() + " backward: gx " + Arrays.toString(gx.shape())
                    + " must have the shape of x " + Arrays.toString(x.shape()));
        }
        if (lastInput != x.buffer() || batch != b) {
            // The gates belong to the latest forward; a different input would silently give wrong gradients.
            throw new IllegalStateException("Gru " + name() + " backward: call forward on this x "
                    + Arrays.toString(x.shape()) + " first");
        }
        transposeRecurrent();
        callGOut = gOut.buffer();
        try {
            ParallelFor.run(partCount, 1, backwardParts);
        } finally {
            callGOut = null;
        }
        // The weight gradients sum over every part, so they are added one part after the other.
        int g3 = 3 * units;
        Arrays.fill(biasSums, 0);
        for (int p = 0; p < partCount; p++) {
            GruState st = parts[p];
            int rows = steps * st.batch;
            // Block t of hs is h_{t−1}, so its leading rows line up with dRec; block 0 (zeros) adds nothing.
            Gemm.gemm(true, false, units, g3, rows, st.hs, st.dRec, recurrentKernel.grad().buffer(), true);
            st.toTimeMajor(x.buffer());
            Gemm.gemm(true, false, features, g3, rows, st.xt, st.dIn, kernel.grad().buffer(), true);
            for (int j = 0; j < 2 * g3; j++) {
                biasSums[j] += st.biasSums[j];
            }
            if (gx != null) {
                // The time-major input is no longer needed, so its buffer takes dL/dx.
                Gemm.gemm(false, true, rows, features, g3, st.dIn, kernel.value().buffer(), st.xt, false);
                st.addFromTimeMajor(gx.buffer());
            }
        }
        float[] gb = bias.grad().buffer();
        for (int j = 0; j < 2 * g3; j++) {
            gb[j] += (float) biasSums[j];
        }
    }

    /** Back-propagation through time of one part: dL/d of every step's projections, and dL/dh flowing back. */
    private void backwardPart(int p) {
        GruState st = parts[p];
        st.startBackward();
        for (int t = steps - 1; t >= 0; t--) {
            st.cellBackward(t, callGOut, returnSequences);
            if (t > 0) {
                SmallGemm.product(st.batch, units, 3 * units, st.step, recurrentT, st.dh, true);
            }
        }
    }

    /** Fills {@link #recurrentT}: once per backward, so that the 80 or so step products read B in place. */
    private void transposeRecurrent() {
        float[] u = recurrentKernel.value().buffer();
        int g3 = 3 * units;
        for (int i = 0; i < units; i++) {
            for (int j = 0; j < g3; j++) {
                recurrentT[j * units + i] = u[i * g3 + j];
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
            throw new IllegalArgumentException("Gru " + name() + " " + op + ": expected x (B, " + steps + ", "
                    + features + ") and out (B, " + (returnSequences ? steps + ", " : "") + units + "), got x "
                    + Arrays.toString(x.shape()) + " and out " + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }
}
