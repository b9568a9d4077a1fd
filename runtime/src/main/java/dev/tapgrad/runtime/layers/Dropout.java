package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.Arrays;

/**
 * Keras's {@code Dropout}: while training, each value is zeroed with probability {@code rate} and
 * the others are scaled by 1 / (1 - rate) (inverted dropout), so that inference is the identity.
 * The masks come from the graph's {@link Mode}: fixed by the seed, the layer's position and the
 * training step. Any shape; the output has the input's. The training forward's draws are shared
 * between the threads in chunks ({@link ParallelFor}); each element's draw depends on its index
 * only, so the masks do not depend on the threads.
 */
public final class Dropout extends ParameterlessLayer implements ModalLayer {
    private final double rate;
    private final float scale;
    private Mode mode = new Mode(0);
    private int index;
    /** Per value of the latest training forward: 0 (dropped) or 1 / (1 - rate) (kept). */
    private float[] mask = new float[0];
    /** Whether the latest forward dropped (training) or copied (inference). */
    private boolean masked;
    /** Draw bits from which a value is kept: {@link Mode#leastBitsAtLeast} of the rate. */
    private final long keptFrom;
    /** Elements per chunk of the training forward: a few microseconds of drawing. */
    private static final int GRAIN = 4096;
    /** The current forward's draw key, read by {@link #drawBody} while its loop runs. */
    private long drawKey;
    /** The training forward over a chunk, built once: nothing is allocated per call. */
    private final ParallelFor.ArrayBody drawBody = this::drawAndMask;

    /**
     * A dropout layer; until a graph hands it its mode it runs inference.
     *
     * @throws IllegalArgumentException unless 0 &lt; rate &lt; 1
     */
    public Dropout(String name, double rate) {
        super(name);
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout " + name + ": rate must be strictly between 0 and 1, got " + rate);
        }
        this.rate = rate;
        this.scale = (float) (1 / (1 - rate));
        this.keptFrom = Mode.leastBitsAtLeast(rate);
    }

    @Override
    public void useMode(Mode mode, int index) {
        this.mode = mode;
        this.index = index;
    }

    /** The fraction dropped while training. */
    public double rate() {
        return rate;
    }

    /** Any x (B, ...) gives the same shape. */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        return singleInput(inputShapes, -1, "(B, ...)").clone();
    }

    /**
     * Training: out = x · mask, value i kept (mask 1 / (1 - rate)) when the mode's uniform draw for
     * it is at least {@code rate}, as TensorFlow's dropout keeps it. Inference: out = x.
     *
     * @param x (B, ...)
     * @param out the shape of x; overwritten
     */
    public void forward(Tensor x, Tensor out) {
        check("forward", x, out);
        int n = x.size();
        float[] in = x.buffer();
        float[] o = out.buffer();
        masked = mode.training();
        if (!masked) {
            System.arraycopy(in, 0, o, 0, n);
            return;
        }
        if (mask.length != n) {
            // reallocated only when the batch size changes, so steady-state steps allocate nothing
            mask = new float[n];
        }
        drawKey = mode.drawKey(index);
        ParallelFor.run(n, GRAIN, drawBody, in, o, mask, scale);
    }

    /** The training forward of elements [from, to): each kept (mask {@code kept}) where its draw is at least the rate. */
    private void drawAndMask(float[] in, float[] o, float[] mask, float kept, int from, int to, int slot) {
        long key = drawKey;
        long threshold = keptFrom;
        for (int i = from; i < to; i++) {
            // Mode.uniformOfKey(key, i) >= rate, compared on the integer bits
            float m = Mode.drawBitsOfKey(key, i) >= threshold ? kept : 0f;
            mask[i] = m;
            o[i] = in[i] * m;
        }
    }

    /**
     * Adds dL/dx = dL/dout · mask (the latest forward's; 1 after an inference forward) to gx.
     *
     * @param gOut the shape of the output, dL/dout
     * @param gx the shape of x, accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor gOut, Tensor gx) {
        backward(gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor)}, but with {@code accumulate} false dL/dx overwrites
     * {@code gx}: generated graphs pass false where this layer is the first to give {@code gx} a
     * gradient in a step, so that the buffer needs no zeroing.
     */
    public void backward(Tensor gOut, Tensor gx, boolean accumulate) {
        if (gx == null) {
            return;
        }
        check("backward", gx, gOut);
        int n = gx.size();
        if (masked && mask.length != n) {
            throw new IllegalStateException("Dropout " + name() + " backward: call forward on a batch of this shape first");
        }
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        if (!accumulate) {
            for (int i = 0; i < n; i++) {
                dst[i] = masked ? g[i] * mask[i] : g[i];
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[i] += masked ? g[i] * mask[i] : g[i];
        }
    }

    private void check(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException("Dropout " + name() + " " + op + ": the two tensors must have one shape, got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
    }
}
