package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * What the global poolings share: x (B, positions..., channels) reduced over every position to
 * (B, channels), as Keras's {@code GlobalAveragePooling1D/2D} and {@code GlobalMaxPooling1D/2D}
 * (channels last). The max gradient goes to the first largest position, as PyTorch routes it.
 */
public abstract sealed class GlobalPooling extends ParameterlessLayer
        permits GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D {
    private final int[] dims;
    private final int positions;
    private final int channels;
    private final boolean max;
    /** Scratch of one example, allocated with the layer: per channel the max's index, or the sum. */
    private final int[] best;
    private final double[] sums;

    /** @param dims the input's shape without the batch, channels last */
    GlobalPooling(String name, boolean max, int... dims) {
        super(name);
        if (Arrays.stream(dims).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + name + ": sizes must be positive, got "
                    + Arrays.toString(dims));
        }
        this.dims = dims.clone();
        this.max = max;
        this.channels = dims[dims.length - 1];
        this.positions = Arrays.stream(dims).reduce(1, Math::multiplyExact) / channels;
        this.best = new int[max ? channels : 0];
        this.sums = new double[max ? 0 : channels];
    }

    /** x (B, positions..., channels) gives (B, channels). */
    @Override
    public final int[] outputShape(int[]... inputShapes) {
        String expected = "(B, " + Arrays.toString(dims).replace("[", "").replace("]", "") + ")";
        int[] x = singleInput(inputShapes, dims.length + 1, expected);
        if (!Arrays.equals(Arrays.copyOfRange(x, 1, x.length), dims)) {
            throw shapeError(expected, inputShapes);
        }
        return new int[] {x[0], channels};
    }

    /**
     * @param x (B, positions..., channels)
     * @param out (B, channels); overwritten with the mean or the largest value over the positions
     */
    public final void forward(Tensor x, Tensor out) {
        int batch = check("forward", x, out);
        float[] in = x.buffer();
        float[] o = out.buffer();
        for (int b = 0; b < batch; b++) {
            if (max) {
                argmax(in, b);
                for (int c = 0; c < channels; c++) {
                    o[b * channels + c] = in[best[c]];
                }
                continue;
            }
            Arrays.fill(sums, 0);
            for (int p = 0; p < positions; p++) {
                int base = (b * positions + p) * channels;
                for (int c = 0; c < channels; c++) {
                    sums[c] += in[base + c];
                }
            }
            for (int c = 0; c < channels; c++) {
                o[b * channels + c] = (float) (sums[c] / positions);
            }
        }
    }

    /**
     * Adds dL/dx to gx: the mean's gradient spread evenly, the max's to the first largest position.
     *
     * @param x (B, positions..., channels), the input of the forward call
     * @param gOut (B, channels), dL/dout
     * @param gx (B, positions..., channels), dL/dx accumulated into
     */
    public final void backward(Tensor x, Tensor gOut, Tensor gx) {
        backward(x, gOut, gx, true);
    }

    /**
     * As {@link #backward(Tensor, Tensor, Tensor)}, but with {@code accumulate} false dL/dx
     * overwrites {@code gx} (the max's: each example's part zeroed, then its winners set):
     * generated graphs pass false where this layer is the first to give {@code gx} a gradient in a
     * step, so that the buffer needs no zeroing pass of its own.
     */
    public final void backward(Tensor x, Tensor gOut, Tensor gx, boolean accumulate) {
        int batch = check("backward", x, gOut);
        if (!gx.sameShape(x)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + name() + " backward: gx "
                    + Arrays.toString(gx.shape()) + " must have the shape of x " + Arrays.toString(x.shape()));
        }
        float[] in = x.buffer();
        float[] g = gOut.buffer();
        float[] dst = gx.buffer();
        float inv = (float) (1.0 / positions);
        for (int b = 0; b < batch; b++) {
            if (max) {
                argmax(in, b);
                if (!accumulate) {
                    Arrays.fill(dst, b * positions * channels, (b + 1) * positions * channels, 0f);
                }
                for (int c = 0; c < channels; c++) {
                    dst[best[c]] += g[b * channels + c];
                }
                continue;
            }
            for (int p = 0; p < positions; p++) {
                int base = (b * positions + p) * channels;
                for (int c = 0; c < channels; c++) {
                    float v = g[b * channels + c] * inv;
                    dst[base + c] = accumulate ? dst[base + c] + v : v;
                }
            }
        }
    }

    /**
     * Fills {@link #best} with the flat index of each channel's first largest value in example b,
     * channels innermost so that the reads run along memory; a NaN beats any number and then stays.
     */
    private void argmax(float[] in, int b) {
        int first = b * positions * channels;
        for (int c = 0; c < channels; c++) {
            best[c] = first + c;
        }
        for (int p = 1; p < positions; p++) {
            int base = (b * positions + p) * channels;
            for (int c = 0; c < channels; c++) {
                float v = in[base + c];
                float m = in[best[c]];
                if (v > m || v != v && m == m) {
                    best[c] = base + c;
                }
            }
        }
    }

    private int check(String op, Tensor x, Tensor out) {
        boolean ok = x.rank() == dims.length + 1 && out.rank() == 2 && out.dim(0) == x.dim(0) && out.dim(1) == channels;
        for (int d = 0; ok && d < dims.length; d++) {
            ok = x.dim(d + 1) == dims[d];
        }
        if (!ok) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + name() + " " + op + ": expected x (B, "
                    + Arrays.toString(dims).replace("[", "").replace("]", "") + ") and out (B, " + channels + "), got x "
                    + Arrays.toString(x.shape()) + " and out " + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }
}
