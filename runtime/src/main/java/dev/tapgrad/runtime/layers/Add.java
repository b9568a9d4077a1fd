package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * Elementwise sum of several inputs of the same shape (Keras {@code Add}), e.g. a residual
 * connection: {@code @Layer(inputs = {"block", "input"}) Add skip;}. No parameters.
 */
public final class Add extends ParameterlessLayer {
    /** An Add layer named {@code name}. */
    public Add(String name) {
        super(name);
    }

    /** Two or more inputs of one shape (B, ...) give that shape. */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        String expected = "two or more inputs of one shape (B, ...)";
        if (inputShapes.length < 2 || inputShapes[0].length < 2) {
            throw shapeError(expected, inputShapes);
        }
        for (int[] s : inputShapes) {
            if (!Arrays.equals(s, inputShapes[0])) {
                throw shapeError(expected, inputShapes);
            }
        }
        return inputShapes[0].clone();
    }

    /**
     * {@code out = Σ inputs}.
     *
     * @param inputs two or more tensors of out's shape
     * @param out overwritten
     */
    public void forward(Tensor[] inputs, Tensor out) {
        float[] o = out.buffer();
        check(inputs, out, "forward");
        System.arraycopy(inputs[0].buffer(), 0, o, 0, o.length);
        for (int k = 1; k < inputs.length; k++) {
            float[] in = inputs[k].buffer();
            for (int i = 0; i < o.length; i++) {
                o[i] += in[i];
            }
        }
    }

    /**
     * Adds {@code gOut} to the gradient of every input (the derivative of a sum is one for each term).
     *
     * @param gInputs the inputs' gradient buffers, accumulated into; a null entry takes no gradient
     */
    public void backward(Tensor gOut, Tensor[] gInputs) {
        float[] g = gOut.buffer();
        for (Tensor gIn : gInputs) {
            if (gIn == null) {
                continue;
            }
            if (!gIn.sameShape(gOut)) {
                throw new IllegalArgumentException("Add " + name() + " backward: input gradient " + Arrays.toString(gIn.shape())
                        + " must have the output's shape " + Arrays.toString(gOut.shape()));
            }
            float[] d = gIn.buffer();
            for (int i = 0; i < g.length; i++) {
                d[i] += g[i];
            }
        }
    }

    private void check(Tensor[] inputs, Tensor out, String op) {
        for (Tensor in : inputs) {
            if (!in.sameShape(out)) {
                throw new IllegalArgumentException("Add " + name() + " " + op + ": input " + Arrays.toString(in.shape())
                        + " must have the output's shape " + Arrays.toString(out.shape()));
            }
        }
    }
}
