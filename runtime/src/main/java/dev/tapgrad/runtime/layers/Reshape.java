package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * Keras's {@code Reshape}: (B, d1, d2, ...) to (B, shape...) in row-major order, the same number of
 * values per example. The processor resolves Keras's one {@code -1} entry before it builds the
 * layer, so {@code shape} here is every dimension. Like {@link Flatten}, its output is a view of
 * its input's values in generated graphs.
 */
public final class Reshape extends ParameterlessLayer {
    private final int[] shape;
    private final int size;

    /** A reshape to {@code shape} (without the batch); every dimension at least 1. */
    public Reshape(String name, int... shape) {
        super(name);
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("Reshape " + name + ": the target shape needs dimensions of at least 1, got "
                    + Arrays.toString(shape));
        }
        this.shape = shape.clone();
        this.size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** x (B, d1, ...) with d1·d2·... = the target's size gives (B, shape...). */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        String expected = "(B, ...) of " + size + " values per example";
        int[] x = singleInput(inputShapes, -1, expected);
        long n = 1;
        for (int d = 1; d < x.length; d++) {
            n *= x[d];
        }
        if (n != size) {
            throw shapeError(expected, inputShapes);
        }
        int[] out = new int[shape.length + 1];
        out[0] = x[0];
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /**
     * The (B, shape...) output over x's own values (and, in generated graphs, the output's gradient
     * over the input's gradient buffer), so that reshaping costs nothing.
     *
     * @throws IllegalArgumentException if x does not hold the target's size per example
     */
    public Tensor view(Tensor x) {
        return x.view(outputShape(x.shape()));
    }

    /**
     * Copies x into out.
     *
     * @param x (B, d1, ...)
     * @param out (B, shape...); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        check("forward", x, out);
        System.arraycopy(x.buffer(), 0, out.buffer(), 0, x.size());
    }

    /**
     * Adds the gradient, back in the input's shape, to gx.
     *
     * @param gOut (B, shape...), dL/dout
     * @param gx (B, d1, ...); dL/dx is accumulated into it
     */
    public void backward(Tensor gOut, Tensor gx) {
        check("backward", gx, gOut);
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        for (int i = 0; i < g.length; i++) {
            dst[i] += g[i];
        }
    }

    private void check(String op, Tensor in, Tensor out) {
        boolean ok = in.rank() >= 2 && out.rank() == shape.length + 1 && out.dim(0) == in.dim(0) && out.size() == in.size();
        for (int d = 0; ok && d < shape.length; d++) {
            ok = out.dim(d + 1) == shape[d];
        }
        if (!ok) {
            throw new IllegalArgumentException("Reshape " + name() + " " + op + ": expected (B, "
                    + Arrays.toString(shape).replace("[", "").replace("]", "") + ") holding the values of "
                    + Arrays.toString(in.shape()) + ", got " + Arrays.toString(out.shape()));
        }
    }
}
