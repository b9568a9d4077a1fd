package dev.tapgrad.runtime.internal.tensor;

import dev.tapgrad.runtime.Tensor;

import java.util.Arrays;

/**
 * Recycles the tensors that ops create while a generated graph runs one step, so that a training
 * step allocates nothing once the first batch has run.
 *
 * <p>Generated code opens its graph's workspace around a step ({@link #open()} … {@link
 * #close()}). While it is open on a thread, every result tensor an op in {@code dev.tapgrad.runtime.ops} creates on
 * that thread is taken from the workspace: the k-th request of a step gets the tensor that the
 * k-th request of the previous step got, if it has the same shape, and a new one otherwise. A step
 * makes the same requests in the same order every time (the graph and its shapes are fixed at
 * compile time), so after the first batch no request allocates. The price is that a tensor an op
 * returned inside a step is overwritten by the next step: generated code only keeps scalars and
 * gradients it has added into its own buffers, which is what makes this safe. Outside an open
 * workspace (user code calling {@code Ops} directly) ops allocate fresh tensors as usual.
 *
 * <p>Ops allocate through the static methods here; {@link Tensor} itself knows nothing of
 * workspaces, so the public tensor type does not depend on this support class.
 *
 * <p>A workspace belongs to one graph and is used by one thread at a time, like the graph itself.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> CURRENT = new ThreadLocal<>();
    /** The shape of every scalar; shared because shapes are never mutated. */
    private static final int[] SCALAR_SHAPE = new int[0];

    private Tensor[] tensors = new Tensor[8];
    private float[][] buffers = new float[4][];
    private double[][] wide = new double[4][];
    private int[][] ints = new int[8][];
    private int nextTensor;
    private int nextBuffer;
    private int nextWide;
    private int nextInts;
    private Workspace outer;
    private boolean open;
    /** The graph's random draws, numbered afresh each step; null for a workspace without a graph. */
    private Draws draws;

    /** An empty workspace; its tensors are created by the first step that needs them. */
    public Workspace() {}

    /**
     * Starts a step on this thread: from now on ops take their results from this workspace, in
     * the order of the previous step's requests.
     *
     * @throws IllegalStateException if this workspace is already open
     */
    public void open() {
        if (open) {
            throw new IllegalStateException("Workspace.open: already open; close() the previous step first");
        }
        open = true;
        nextTensor = 0;
        nextBuffer = 0;
        nextWide = 0;
        nextInts = 0;
        outer = CURRENT.get();
        CURRENT.set(this);
        if (draws != null) {
            draws.restart();
        }
    }

    /** Makes the random ops of this workspace's steps draw from {@code draws} (the graph's seeded generator). */
    public void drawFrom(Draws draws) {
        this.draws = draws;
    }

    /** The draws of the workspace open on this thread, or null. */
    static Draws currentDraws() {
        Workspace w = CURRENT.get();
        return w == null ? null : w.draws;
    }

    /** Ends the step: ops on this thread allocate again (or use the workspace that was open before). */
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        CURRENT.set(outer);
        outer = null;
    }

    /** A tensor of zeros of {@code shape}: recycled inside an open workspace, new outside. Never mutates {@code shape}. */
    public static Tensor zeros(int[] shape) {
        Workspace w = CURRENT.get();
        if (w == null) {
            return Tensor.zeros(shape);
        }
        Tensor t = w.take(shape);
        t.fill(0f);
        return t;
    }

    /**
     * A tensor of {@code shape} whose values are unspecified: the caller must write every one.
     * Recycled inside an open workspace, new (zeros) outside.
     */
    public static Tensor uninitialized(int[] shape) {
        Workspace w = CURRENT.get();
        return w == null ? Tensor.zeros(shape) : w.take(shape);
    }

    /**
     * A rank-0 tensor holding {@code value}, taken from this workspace, which must be open on
     * this thread: generated reverse passes start from one.
     *
     * @throws IllegalStateException if the workspace is not open
     */
    public Tensor scalar(double value) {
        if (!open || CURRENT.get() != this) {
            throw new IllegalStateException("Workspace.scalar: open() the workspace on this thread first");
        }
        return newScalar(value);
    }

    /**
     * {@code a + b} (same shapes) as a new tensor, recycled inside an open workspace: generated
     * reverse passes accumulate gradient contributions with it without mutating tensors that may
     * be shared.
     */
    public static Tensor sum(Tensor a, Tensor b) {
        Tensor out = copyOf(a);
        out.addInPlace(b);
        return out;
    }

    /** A rank-0 tensor holding {@code value}, recycled inside an open workspace. */
    public static Tensor newScalar(double value) {
        Tensor t = uninitialized(SCALAR_SHAPE);
        t.buffer()[0] = (float) value;
        return t;
    }

    /** A copy of {@code t}, recycled inside an open workspace. */
    public static Tensor copyOf(Tensor t) {
        Tensor out = uninitialized(t.dims());
        System.arraycopy(t.buffer(), 0, out.buffer(), 0, out.size());
        return out;
    }

    /**
     * A scratch array of at least {@code length} floats with unspecified values, for an op's
     * temporaries; recycled inside an open workspace.
     */
    public static float[] floats(int length) {
        Workspace w = CURRENT.get();
        if (w == null) {
            return new float[length];
        }
        if (w.nextBuffer == w.buffers.length) {
            w.buffers = Arrays.copyOf(w.buffers, w.buffers.length * 2);
        }
        float[] b = w.buffers[w.nextBuffer];
        if (b == null || b.length < length) {
            b = new float[length];
            w.buffers[w.nextBuffer] = b;
        }
        w.nextBuffer++;
        return b;
    }

    /** A scratch array of at least {@code length} doubles with unspecified values; recycled inside an open workspace. */
    public static double[] doubles(int length) {
        Workspace w = CURRENT.get();
        if (w == null) {
            return new double[length];
        }
        if (w.nextWide == w.wide.length) {
            w.wide = Arrays.copyOf(w.wide, w.wide.length * 2);
        }
        double[] b = w.wide[w.nextWide];
        if (b == null || b.length < length) {
            b = new double[length];
            w.wide[w.nextWide] = b;
        }
        w.nextWide++;
        return b;
    }

    /**
     * A scratch array of exactly {@code length} ints, all zero, for shapes, strides and indices
     * an op computes; recycled inside an open workspace. Tensors never keep it: they copy the
     * shape they are made with.
     */
    public static int[] ints(int length) {
        Workspace w = CURRENT.get();
        if (w == null) {
            return new int[length];
        }
        if (w.nextInts == w.ints.length) {
            w.ints = Arrays.copyOf(w.ints, w.ints.length * 2);
        }
        int[] b = w.ints[w.nextInts];
        if (b == null || b.length != length) {
            b = new int[length];
            w.ints[w.nextInts] = b;
        } else {
            Arrays.fill(b, 0);
        }
        w.nextInts++;
        return b;
    }

    private Tensor take(int[] shape) {
        if (nextTensor == tensors.length) {
            tensors = Arrays.copyOf(tensors, tensors.length * 2);
        }
        Tensor t = tensors[nextTensor];
        if (t == null || !Arrays.equals(t.dims(), shape)) {
            t = Tensor.zeros(shape);
            tensors[nextTensor] = t;
        }
        nextTensor++;
        return t;
    }
}
