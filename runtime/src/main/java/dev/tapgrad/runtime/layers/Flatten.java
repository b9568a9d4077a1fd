package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * Reshapes (B, d1, d2, ...) to (B, d1·d2·...) in row-major order, which for NHWC images is the
 * order Keras's channels-last {@code Flatten} uses, so a following Dense kernel loads unchanged.
 */
public final class Flatten extends ParameterlessLayer {

    /** A flatten layer; it has no parameters. */
    public Flatten(String name) {
        super(name);
    }

    /** x (B, d1, d2, ...) gives (B, d1·d2·...). */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        int[] x = singleInput(inputShapes, -1, "(B, d1, ...)");
        int size = 1;
        for (int d = 1; d < x.length; d++) {
            size = Math.multiplyExact(size, x[d]);
        }
        return new int[] {x[0], size};
    }

    /**
     * The (B, d1·d2·...) output over x's own values: generated graphs use it as the layer's
     * output (and over the input's gradient buffer as the output's gradient), so that flattening
     * costs nothing. {@link #forward} and {@link #backward} are for outputs that are separate
     * buffers.
     *
     * @throws IllegalArgumentException if x is a scalar
     */
    public Tensor view(Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("Flatten " + name() + ": cannot flatten a scalar; the input needs a batch axis");
        }
        int b = x.dim(0);
        return x.view(b, b == 0 ? 0 : x.size() / b);
    }

    /**
     * Copies x into out.
     *
     * @param x (B, d1, d2, ...)
     * @param out (B, d1·d2·...); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        check("forward", x, out, "x", "out");
        System.arraycopy(x.buffer(), 0, out.buffer(), 0, x.size());
    }

    /**
     * Adds the gradient, back in the input's shape, to gx.
     *
     * @param gOut (B, d1·d2·...), dL/dout
     * @param gx (B, d1, d2, ...); dL/dx is accumulated into it
     */
    public void backward(Tensor gOut, Tensor gx) {
        check("backward", gx, gOut, "gx", "gOut");
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        for (int i = 0; i < g.length; i++) {
            dst[i] += g[i];
        }
    }

    private void check(String op, Tensor in, Tensor flat, String inName, String flatName) {
        if (in.rank() < 1 || flat.rank() != 2 || flat.dim(0) != in.dim(0) || flat.size() != in.size()) {
            throw new IllegalArgumentException("Flatten " + name() + " " + op + ": " + flatName + " "
                    + Arrays.toString(flat.shape()) + " must be (B, rest) for " + inName + " "
                    + Arrays.toString(in.shape()));
        }
    }
}
