package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * Joins several inputs along the last axis (Keras {@code Concatenate}): inputs (..., d_k) with the
 * same leading dimensions give (..., Σ d_k). No parameters.
 */
public final class Concatenate extends ParameterlessLayer {
    /** A Concatenate layer named {@code name}. */
    public Concatenate(String name) {
        super(name);
    }

    /** Two or more inputs (B, ..., d_k) with equal leading axes give (B, ..., Σ d_k). */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        String expected = "two or more inputs (B, ..., d_k) with equal leading axes";
        if (inputShapes.length < 2 || inputShapes[0].length < 2) {
            throw shapeError(expected, inputShapes);
        }
        int[] first = inputShapes[0];
        int last = 0;
        for (int[] s : inputShapes) {
            if (s.length != first.length
                    || !Arrays.equals(s, 0, s.length - 1, first, 0, first.length - 1)) {
                throw shapeError(expected, inputShapes);
            }
            last += s[s.length - 1];
        }
        int[] out = first.clone();
        out[out.length - 1] = last;
        return out;
    }

    /**
     * Copies each input's last-axis slice into its place in every row of {@code out}.
     *
     * @param inputs tensors (..., d_k) with out's leading dimensions
     * @param out (..., Σ d_k); overwritten
     */
    public void forward(Tensor[] inputs, Tensor out) {
        int width = out.dim(-1);
        int rows = out.size() / width;
        int offset = 0;
        for (Tensor in : inputs) {
            int d = in.dim(-1);
            if (in.size() != rows * d) {
                throw new IllegalArgumentException("Concatenate " + name() + ": input " + Arrays.toString(in.shape())
                        + " does not have the leading dimensions of " + Arrays.toString(out.shape()));
            }
            float[] src = in.buffer();
            float[] dst = out.buffer();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, r * d, dst, r * width + offset, d);
            }
            offset += d;
        }
        if (offset != width) {
            throw new IllegalArgumentException("Concatenate " + name() + ": inputs' last axes sum to " + offset
                    + " but the output's is " + width);
        }
    }

    /**
     * Adds each slice of {@code gOut} to the gradient of the input it came from.
     *
     * @param inputs the inputs of the forward call (they give each slice's width)
     * @param gInputs the inputs' gradient buffers, accumulated into; a null entry takes no gradient
     */
    public void backward(Tensor[] inputs, Tensor gOut, Tensor[] gInputs) {
        int width = gOut.dim(-1);
        int rows = gOut.size() / width;
        float[] g = gOut.buffer();
        int offset = 0;
        for (int k = 0; k < inputs.length; k++) {
            int d = inputs[k].dim(-1);
            Tensor gIn = gInputs[k];
            if (gIn == null) {
                offset += d;
                continue;
            }
            float[] dst = gIn.buffer();
            for (int r = 0; r < rows; r++) {
                int s = r * width + offset;
                int t = r * d;
                for (int j = 0; j < d; j++) {
                    dst[t + j] += g[s + j];
                }
            }
            offset += d;
        }
    }
}
