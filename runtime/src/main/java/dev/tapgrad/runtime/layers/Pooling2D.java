package dev.tapgrad.runtime.layers;

import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;

/**
 * What {@link MaxPool2D} and {@link AvgPool2D} share: the window geometry over channels-last
 * images, Keras's output size and TensorFlow's SAME padding (the odd padding pixel at the
 * bottom/right; padded positions are never part of a window's values), and the shape checks.
 *
 * <p>Shapes: x (B, height, width, channels); out (B, OH, OW, channels) with VALID {@code OH =
 * (height - poolH) / strideH + 1} and SAME {@code OH = ceil(height / strideH)}, likewise OW.
 */
public abstract sealed class Pooling2D extends ParameterlessLayer permits MaxPool2D, AvgPool2D {
    final int height;
    final int width;
    final int channels;
    final int poolH;
    final int poolW;
    final int strideH;
    final int strideW;
    final int outH;
    final int outW;
    final int padTop;
    final int padLeft;

    Pooling2D(String name, int height, int width, int channels, int poolH, int poolW, int strideH, int strideW,
            Padding padding) {
        super(name);
        if (height <= 0 || width <= 0 || channels <= 0 || poolH <= 0 || poolW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + name + ": sizes must be positive, got input ("
                    + height + ", " + width + ", " + channels + "), pool (" + poolH + ", " + poolW + "), strides ("
                    + strideH + ", " + strideW + ")");
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.poolH = poolH;
        this.poolW = poolW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.outH = outputSize(height, poolH, strideH, padding);
        this.outW = outputSize(width, poolW, strideW, padding);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + name + ": a VALID pool (" + poolH + ", "
                    + poolW + ") does not fit the input (" + height + ", " + width + ")");
        }
        this.padTop = padding == Padding.SAME ? Math.max((outH - 1) * strideH + poolH - height, 0) / 2 : 0;
        this.padLeft = padding == Padding.SAME ? Math.max((outW - 1) * strideW + poolW - width, 0) / 2 : 0;
    }

    /** Keras's output size: VALID {@code (in - pool) / stride + 1}, 0 when the pool does not fit; SAME {@code ceil(in / stride)}. */
    static int outputSize(int in, int pool, int stride, Padding padding) {
        return padding == Padding.SAME ? (in + stride - 1) / stride : in < pool ? 0 : (in - pool) / stride + 1;
    }

    /** x (B, height, width, channels) gives (B, OH, OW, channels). */
    @Override
    public final int[] outputShape(int[]... inputShapes) {
        String expected = "(B, " + height + ", " + width + ", " + channels + ")";
        int[] x = singleInput(inputShapes, 4, expected);
        if (x[1] != height || x[2] != width || x[3] != channels) {
            throw shapeError(expected, inputShapes);
        }
        return new int[] {x[0], outH, outW, channels};
    }

    /** The first input row of output row {@code oy}'s window, which may lie in the padding (negative). */
    final int rowStart(int oy) {
        return oy * strideH - padTop;
    }

    /** The first input column of output column {@code ox}'s window. */
    final int colStart(int ox) {
        return ox * strideW - padLeft;
    }

    /** Checks x against out (and a gradient buffer, when not null, against its tensor); returns the batch. */
    final int check(String op, Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        boolean ok = x.rank() == 4 && x.dim(1) == height && x.dim(2) == width && x.dim(3) == channels
                && out.rank() == 4 && out.dim(0) == x.dim(0) && out.dim(1) == outH && out.dim(2) == outW
                && out.dim(3) == channels && (gOut == null || gOut.sameShape(out)) && (gx == null || gx.sameShape(x));
        if (!ok) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + name() + " " + op + ": expected x (B, "
                    + height + ", " + width + ", " + channels + ") and out (B, " + outH + ", " + outW + ", " + channels
                    + ") and gradients of their shapes, got x " + Arrays.toString(x.shape()) + " and out "
                    + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }
}
