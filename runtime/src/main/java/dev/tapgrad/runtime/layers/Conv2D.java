package dev.tapgrad.runtime.layers;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.Activations;
import dev.tapgrad.runtime.kernel.Gemm;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A 2-D convolution over channels-last images, {@code out = act(conv(x, kernel) + bias)}, as
 * Keras's {@code Conv2D} (cross-correlation, TensorFlow's SAME padding).
 *
 * <p>Shapes: x (B, height, width, channels); out (B, OH, OW, filters) with OH, OW from {@link
 * #outputSize}; kernel (kh, kw, channels, filters); bias (filters). Computed as im2col + GEMM:
 * each output pixel's patch is ordered (kh, kw, channels), so the kernel is already the
 * (kh·kw·channels, filters) matrix. The patches are stored transposed, one row per patch
 * position holding every pixel of the chunk (patch, pixels): built by contiguous runs along the
 * image rows, and read by the GEMM without transposing (a 3×3 kernel on one channel has patches of
 * only 9 values, which the GEMM vectorises along the pixels). Patches are built a few images at a
 * time to bound the memory; a batch that fits is one chunk, computed in place.
 */
public final class Conv2D extends AbstractLayer {
    /** At most this many patch values per chunk (4 MB): the whole batch when the patches are small. */
    private static final int CHUNK_VALUES = 1 << 20;

    private final int height;
    private final int width;
    private final int channels;
    private final int filters;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final Activation activation;
    private final int outH;
    private final int outW;
    private final int padTop;
    private final int padLeft;
    private final int patch;
    private final Parameter kernel;
    private final Parameter bias;
    private final double[] biasSums;

    // Scratch, reallocated only when the batch size changes.
    private int batch = -1;
    private int chunkImages;
    /** Pre-activation of the latest forward call, (B·OH·OW, filters). */
    private float[] z;
    /** Patches of one chunk, transposed: (patch, chunkImages·OH·OW); in backward also their gradient. */
    private float[] cols;
    /** One chunk's GEMM output or gradient, (chunkImages·OH·OW, filters); unused when one chunk holds the batch. */
    private float[] chunkOut;
    private float[] lastInput;

    /** A convolution layer; parameters start at zero until {@link #initialize}. */
    public Conv2D(String name, int height, int width, int channels, int filters, int kernelH, int kernelW,
            int strideH, int strideW, Padding padding, Activation activation) {
        super(name);
        if (height <= 0 || width <= 0 || channels <= 0 || filters <= 0 || kernelH <= 0 || kernelW <= 0
                || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("Conv2D " + name + ": sizes must be positive, got input (" + height
                    + ", " + width + ", " + channels + "), filters " + filters + ", kernel (" + kernelH + ", "
                    + kernelW + "), strides (" + strideH + ", " + strideW + ")");
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.filters = filters;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.activation = activation;
        this.outH = outputSize(height, kernelH, strideH, padding);
        this.outW = outputSize(width, kernelW, strideW, padding);
        // TensorFlow puts the odd padding pixel at the bottom/right.
        this.padTop = padding == Padding.SAME ? Math.max((outH - 1) * strideH + kernelH - height, 0) / 2 : 0;
        this.padLeft = padding == Padding.SAME ? Math.max((outW - 1) * strideW + kernelW - width, 0) / 2 : 0;
        this.patch = kernelH * kernelW * channels;
        this.kernel = new Parameter(name + ".kernel", Tensor.zeros(kernelH, kernelW, channels, filters));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(filters));
        this.biasSums = new double[filters];
    }

    /**
     * Output size along one axis: VALID {@code (in − kernel) / stride + 1}, SAME
     * {@code ceil(in / stride)}.
     *
     * @throws IllegalArgumentException if a size is not positive or a VALID kernel is larger than
     *     the input
     */
    public static int outputSize(int in, int kernel, int stride, Padding padding) {
        if (in <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("Conv2D.outputSize: input " + in + ", kernel " + kernel + " and stride "
                    + stride + " must be positive");
        }
        if (padding == Padding.SAME) {
            return (in + stride - 1) / stride;
        }
        if (kernel > in) {
            throw new IllegalArgumentException("Conv2D.outputSize: VALID kernel " + kernel + " is larger than input "
                    + in + "; use Padding.SAME or a smaller kernel");
        }
        return (in - kernel) / stride + 1;
    }

    /** Output height OH. */
    public int outputHeight() {
        return outH;
    }

    /** Output width OW. */
    public int outputWidth() {
        return outW;
    }

    /** The live kernel, (kh, kw, channels, filters). */
    public Tensor kernel() {
        return kernel.value();
    }

    /** The live bias, (filters). */
    public Tensor bias() {
        return bias.value();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, bias);
    }

    /** Glorot-uniform kernel with fan_in = kh·kw·channels, fan_out = kh·kw·filters; zero bias (Keras). */
    @Override
    public void initialize(Random random) {
        Initializers.glorotUniform(kernel.value(), kernelH * kernelW * channels, kernelH * kernelW * filters, random);
        bias.value().fill(0f);
    }

    /**
     * {@code out = act(conv(x, kernel) + bias)}.
     *
     * @param x (B, height, width, channels)
     * @param out (B, OH, OW, filters); overwritten
     */
    public void forward(Tensor x, Tensor out) {
        int b = checkShapes("forward", x, out);
        ensureBatch(b);
        float[] in = x.buffer();
        float[] bv = bias.value().buffer();
        int pixels = outH * outW;
        boolean whole = chunkImages >= b;
        for (int b0 = 0; b0 < b; b0 += chunkImages) {
            int images = Math.min(chunkImages, b - b0);
            int rows = images * pixels;
            im2col(in, b0, images, rows);
            float[] target = whole ? z : chunkOut;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bv, 0, target, r * filters, filters);
            }
            Gemm.gemm(true, false, rows, filters, patch, cols, kernel.value().buffer(), target, true);
            if (!whole) {
                System.arraycopy(chunkOut, 0, z, b0 * pixels * filters, rows * filters);
            }
        }
        Activations.forward(activation, z, out.buffer(), b * pixels, filters);
        lastInput = in;
    }

    /**
     * Back-propagates through the latest {@link #forward} call, which must have been on this
     * {@code x}: adds dL/dkernel and dL/dbias to the parameters' gradients and, if {@code gx} is
     * not null, adds dL/dx to it (gradients from several consumers or taps accumulate).
     *
     * @param x (B, height, width, channels), the input of the forward call
     * @param out (B, OH, OW, filters), its output
     * @param gOut (B, OH, OW, filters), dL/dout; overwritten (it holds dL/dz afterwards)
     * @param gx (B, height, width, channels), dL/dx accumulated into; or null when the input needs no gradient
     */
    public void backward(Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        int b = checkShapes("backward", x, out);
        if (!gOut.sameShape(out)) {
            throw new IllegalArgumentException("Conv2D " + name() + " backward: gOut " + Arrays.toString(gOut.shape())
                    + " must have the shape of out " + Arrays.toString(out.shape()));
        }
        if (gx != null && !gx.sameShape(x)) {
            throw new IllegalArgumentException("Conv2D " + name() + " backward: gx " + Arrays.toString(gx.shape())
                    + " must have the shape of x " + Arrays.toString(x.shape()));
        }
        if (lastInput != x.buffer() || batch != b) {
            // z belongs to the latest forward; a different input would silently give wrong gradients.
            throw new IllegalStateException("Conv2D " + name() + " backward: call forward on this x "
                    + Arrays.toString(x.shape()) + " first");
        }
        int pixels = outH * outW;
        float[] g = gOut.buffer();
        Activations.backward(activation, z, out.buffer(), g, b * pixels, filters);
        addBiasGradient(g, b * pixels);
        float[] in = x.buffer();
        boolean whole = chunkImages >= b;
        for (int b0 = 0; b0 < b; b0 += chunkImages) {
            int images = Math.min(chunkImages, b - b0);
            int rows = images * pixels;
            im2col(in, b0, images, rows);
            float[] gChunk = g;
            if (!whole) {
                System.arraycopy(g, b0 * pixels * filters, chunkOut, 0, rows * filters);
                gChunk = chunkOut;
            }
            Gemm.gemm(false, false, patch, filters, rows, cols, gChunk, kernel.grad().buffer(), true);
            if (gx != null) {
                // The patches are no longer needed, so their buffer takes the patch gradients, (patch, rows).
                Gemm.gemm(false, true, patch, rows, filters, kernel.value().buffer(), gChunk, cols, false);
                col2im(gx.buffer(), b0, images, rows);
            }
        }
    }

    private void addBiasGradient(float[] g, int rows) {
        Arrays.fill(biasSums, 0);
        for (int r = 0; r < rows; r++) {
            int off = r * filters;
            for (int f = 0; f < filters; f++) {
                biasSums[f] += g[off + f];
            }
        }
        float[] gb = bias.grad().buffer();
        for (int f = 0; f < filters; f++) {
            gb[f] += (float) biasSums[f];
        }
    }

    private void ensureBatch(int b) {
        if (b == batch) {
            return;
        }
        int pixels = outH * outW;
        chunkImages = Math.max(1, Math.min(b, CHUNK_VALUES / (pixels * patch)));
        z = new float[b * pixels * filters];
        cols = new float[chunkImages * pixels * patch];
        chunkOut = chunkImages >= b ? new float[0] : new float[chunkImages * pixels * filters];
        batch = b;
    }

    /**
     * Writes the patches of images [b0, b0 + images) of x into {@link #cols} as (patch, rows):
     * value (ky, kx, c) of pixel row r at {@code cols[((ky·kw + kx)·channels + c)·rows + r]}, zeros
     * where padded. For each patch position and image row, the pixels that read inside the image
     * are one strided run of x.
     */
    private void im2col(float[] x, int b0, int images, int rows) {
        for (int ky = 0; ky < kernelH; ky++) {
            for (int kx = 0; kx < kernelW; kx++) {
                int lo = firstInside(kx);
                int hi = lastInside(kx);
                for (int c = 0; c < channels; c++) {
                    int base = ((ky * kernelW + kx) * channels + c) * rows;
                    for (int b = b0, r = base; b < b0 + images; b++) {
                        for (int oy = 0; oy < outH; oy++, r += outW) {
                            int iy = oy * strideH - padTop + ky;
                            if (iy < 0 || iy >= height || lo > hi) {
                                Arrays.fill(cols, r, r + outW, 0f);
                                continue;
                            }
                            Arrays.fill(cols, r, r + lo, 0f);
                            int src = ((b * height + iy) * width + lo * strideW - padLeft + kx) * channels + c;
                            int step = strideW * channels;
                            for (int ox = lo; ox <= hi; ox++, src += step) {
                                cols[r + ox] = x[src];
                            }
                            Arrays.fill(cols, r + hi + 1, r + outW, 0f);
                        }
                    }
                }
            }
        }
    }

    /** Adds the patch gradients in {@link #cols}, (patch, rows) as {@link #im2col} wrote them, to images [b0, b0 + images) of gx. */
    private void col2im(float[] gx, int b0, int images, int rows) {
        for (int ky = 0; ky < kernelH; ky++) {
            for (int kx = 0; kx < kernelW; kx++) {
                int lo = firstInside(kx);
                int hi = lastInside(kx);
                for (int c = 0; c < channels; c++) {
                    int base = ((ky * kernelW + kx) * channels + c) * rows;
                    for (int b = b0, r = base; b < b0 + images; b++) {
                        for (int oy = 0; oy < outH; oy++, r += outW) {
                            int iy = oy * strideH - padTop + ky;
                            if (iy < 0 || iy >= height) {
                                continue;
                            }
                            int dst = ((b * height + iy) * width + lo * strideW - padLeft + kx) * channels + c;
                            int step = strideW * channels;
                            for (int ox = lo; ox <= hi; ox++, dst += step) {
                                gx[dst] += cols[r + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The first output column whose kernel column kx reads inside the image: ox·sw − padLeft + kx ≥ 0. */
    private int firstInside(int kx) {
        int need = padLeft - kx;
        return need <= 0 ? 0 : (need + strideW - 1) / strideW;
    }

    /** The last output column whose kernel column kx reads inside the image: ox·sw − padLeft + kx ≤ width − 1; may be below firstInside. */
    private int lastInside(int kx) {
        int limit = width - 1 + padLeft - kx;
        return limit < 0 ? -1 : Math.min(outW - 1, limit / strideW);
    }

    /** Checks x (B, height, width, channels) against out (B, OH, OW, filters); returns B; allocates nothing. */
    private int checkShapes(String op, Tensor x, Tensor out) {
        boolean ok = x.rank() == 4 && out.rank() == 4 && x.dim(1) == height && x.dim(2) == width
                && x.dim(3) == channels && out.dim(0) == x.dim(0) && out.dim(1) == outH && out.dim(2) == outW
                && out.dim(3) == filters;
        if (!ok) {
            throw new IllegalArgumentException("Conv2D " + name() + " " + op + ": expected x (B, " + height + ", "
                    + width + ", " + channels + ") and out (B, " + outH + ", " + outW + ", " + filters + "), got x "
                    + Arrays.toString(x.shape()) + " and out " + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }
}
