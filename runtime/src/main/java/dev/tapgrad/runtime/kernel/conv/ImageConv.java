package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.Platform;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.util.Arrays;

/**
 * {@link DirectConv}'s passes for layers with large patches (a 3×3 kernel over 16 channels and
 * more), one image at a time: each image's patches (im2col), its products with the kernel and the
 * patch gradients' adjoint (col2im) are computed by the thread that owns the image, in that
 * thread's scratch, which stays in its core's L2 cache. im2col + GEMM over a chunk of a dozen
 * images (four megabytes of patches) instead streamed every pass through memory: with the GEMMs'
 * packing, about seven passes of 20 MB per step, half of the two-conv CNN's step. This class is
 * the portable twin, plain Java around {@link Gemm#gemm} (which computes on the calling thread
 * while a {@link dev.tapgrad.runtime.kernel.parallel.ParallelFor} loop is shared, so each image's
 * products run where its patches are); {@code VectorImageConv} replaces the products of stride-1
 * layers by implicit-GEMM kernels on the Vector API that need no patches at all.
 *
 * <p>Sums: forward the GEMM's, then the bias, then the floor (the order of the chunked im2col
 * path); each image's kernel and bias gradients go to its own partials, which DirectConv adds in
 * image order in double; dL/dx of an image is written by the thread that owns the image only. So
 * the results do not depend on the number of threads.
 */
class ImageConv implements ConvPasses {
    /** The Vector API subclass, loaded by name where the module is present. */
    private static final String VECTOR_CLASS = "dev.tapgrad.runtime.kernel.conv.VectorImageConv";

    final ConvGeometry g;
    final int f;
    final int patch;
    final int pixels;
    /** The (patch, filters) kernel of the latest {@link #loadKernel}. */
    final float[] kernel;
    /** Per slot: one image's patches (pixels, patch), in backward then their gradient; allocated on first use. */
    private final float[][] cols;
    /** Per slot: one image's (pixels, filters) product, or its dL/dz. */
    final float[][] result;
    /** Per slot: one image's kernel gradient (patch, filters). */
    private final float[][] kernelPart;
    /** Per slot: one image's bias gradient, and its Σ|out| or Σout² per filter. */
    final float[][] biasPart;
    final double[][] penaltyPart;
    /** Per slot: one image's relu outputs, copied for {@link #portableDz}; allocated on first use. */
    private final float[][] outCopies;

    ImageConv(ConvGeometry geometry, int slots) {
        this.g = geometry;
        this.f = geometry.filters;
        this.patch = geometry.patch;
        this.pixels = geometry.pixels();
        this.kernel = new float[patch * f];
        this.cols = new float[slots][];
        this.result = new float[slots][pixels * f + 16];
        this.kernelPart = new float[slots][];
        this.biasPart = new float[slots][f + 16];
        this.penaltyPart = new double[slots][f + 8];
        this.outCopies = new float[slots][];
    }

    /**
     * The per-image passes for a layer: the Vector API's where {@code vector} and they suit the
     * layer (stride 1, filters a multiple of the lanes), otherwise {@link PortableImageConv}'s for
     * stride 1, else this class's.
     */
    static ConvPasses create(ConvGeometry geometry, int slots, boolean vector) {
        if (vector && vectorSuits(geometry)) {
            try {
                return (ConvPasses) Class.forName(VECTOR_CLASS).getDeclaredConstructor(ConvGeometry.class, int.class)
                        .newInstance(geometry, slots);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                System.err.println("tapgrad: " + VECTOR_CLASS + " unavailable (" + e + "); Conv2D uses im2col per image");
            }
        }
        return PortableImageConv.suits(geometry) ? new PortableImageConv(geometry, slots) : new ImageConv(geometry, slots);
    }

    /**
     * Whether the Vector API's implicit-GEMM passes can compute this layer: the API is usable
     * ({@code -Dtapgrad.vector.conv=false} turns them off), strides 1, filters a multiple of the lanes.
     */
    static boolean vectorSuits(ConvGeometry geometry) {
        return Platform.vectorUsable() && VectorConvs.LANES > 0 && geometry.strideH == 1 && geometry.strideW == 1
                && geometry.filters % VectorConvs.LANES == 0
                && !"false".equalsIgnoreCase(System.getProperty("tapgrad.vector.conv"));
    }

    /** Whether this is the Vector API's subclass. */
    boolean vectorized() {
        return false;
    }

    @Override
    public void loadKernel(float[] k) {
        System.arraycopy(k, 0, kernel, 0, patch * f);
    }

    /**
     * The kernel flipped for dL/dx as a convolution of dL/dz (the implicit paths' input gradient):
     * flipped[(ky', kx', filter), channel] = k[(kh−1−ky', kw−1−kx', channel), filter].
     */
    final void flip(float[] k, float[] flipped) {
        int kh = g.kernelH, kw = g.kernelW, c = g.channels;
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int src = ((kh - 1 - ky) * kw + (kw - 1 - kx)) * c * f;
                int dst = (ky * kw + kx) * f * c;
                for (int ch = 0; ch < c; ch++) {
                    for (int j = 0; j < f; j++) {
                        flipped[dst + j * c + ch] = k[src + ch * f + j];
                    }
                }
            }
        }
    }

    @Override
    public boolean inputGradient() {
        return true;
    }

    /** The slot's patch buffer, allocated on first use (a layer that only runs forward on a path needing none keeps none). */
    final float[] cols(int slot) {
        float[] c = cols[slot];
        if (c == null) {
            c = new float[pixels * patch];
            cols[slot] = c;
        }
        return c;
    }

    @Override
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums) {
        float[] r = result[slot];
        for (int image = from; image < to; image++) {
            float[] c = cols(slot);
            g.im2col(x, image, 1, c, 0);
            Gemm.gemm(false, false, pixels, f, patch, c, kernel, r, false);
            double s = finish(r, g.outW, bias, out, image * pixels * f, floor, penalty, slot);
            if (penalty != DirectConv.NO_PENALTY) {
                penaltySums[image] = s;
            }
        }
    }

    /**
     * One image's output from its product {@code r}, pixel (oy, ox) at {@code (oy·rowWidth + ox)·filters}:
     * {@code max(r + bias, floor)} at {@code out[o …]}; returns its Σ|out| or Σout² when
     * {@code penalty} (per filter in double, then the filters in order), else 0.
     */
    double finish(float[] r, int rowWidth, float[] bias, float[] out, int o, float floor, int penalty,
            int slot) {
        double[] pa = penaltyPart[slot];
        Arrays.fill(pa, 0);
        for (int p = 0; p < pixels; p++) {
            int i = (p / g.outW * rowWidth + p % g.outW) * f;
            int oi = o + p * f - i;
            for (int j = 0; j < f; j++) {
                out[oi + i + j] = Math.max(r[i + j] + bias[j], floor);
            }
            if (penalty == DirectConv.SQUARE) {
                for (int j = 0; j < f; j++) {
                    float v = out[oi + i + j];
                    pa[j] += v * v;
                }
            } else if (penalty == DirectConv.ABS) {
                for (int j = 0; j < f; j++) {
                    pa[j] += Math.abs(out[oi + i + j]);
                }
            }
        }
        double s = 0;
        for (int j = 0; j < f; j++) {
            s += pa[j];
        }
        return s;
    }

    @Override
    public void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu,
            int penalty, float scale, int from, int to, int slot, float[] partials) {
        float[] r = result[slot];
        float[] db = biasPart[slot];
        for (int image = from; image < to; image++) {
            int o = image * pixels * f;
            portableDz(out, grad, o, r, db, relu, penalty, scale, slot);
            float[] c = cols(slot);
            g.im2col(x, image, 1, c, 0);
            float[] dk = kernelPart[slot];
            if (dk == null) {
                dk = new float[patch * f];
                kernelPart[slot] = dk;
            }
            Gemm.gemm(true, false, patch, f, pixels, c, r, dk, false);
            int part = image * (patch * f + f);
            System.arraycopy(dk, 0, partials, part, patch * f);
            System.arraycopy(db, 0, partials, part + patch * f, f);
            if (gx != null) {
                inputGradientByPatches(r, image, slot, gx, accumulate);
            }
        }
    }

    /**
     * Adds dL/dx of one image to gx from its dL/dz {@code r}: the patch gradients (r · kernelᵀ) and
     * col2im; without {@code accumulate} the image's part of gx is zeroed first, by the thread
     * that then adds into it while it is in its cache (col2im adds overlapping patches, so it
     * cannot write them).
     */
    final void inputGradientByPatches(float[] r, int image, int slot, float[] gx, boolean accumulate) {
        float[] c = cols(slot);
        Gemm.gemm(false, true, pixels, patch, f, r, kernel, c, false);
        if (!accumulate) {
            int size = g.height * g.width * g.channels;
            Arrays.fill(gx, image * size, (image + 1) * size, 0f);
        }
        g.col2im(c, 0, image, 1, gx);
    }

    /**
     * {@link #dz} on the portable path: with the relu, on {@link DirectConvRows#reluGradient}'s
     * loops (which C2 vectorises) over copies of the image's dL/dout and outputs, the same bits;
     * where those loops cannot be sure of dz's bits they leave a NaN, which the bias sums show
     * (NaN stays), and the image is done by dz again from its untouched dL/dout.
     */
    final void portableDz(float[] out, float[] grad, int o, float[] r, float[] db, boolean relu, int penalty,
            float scale, int slot) {
        if (!relu) {
            dz(out, grad, o, r, db, false, penalty, scale);
            return;
        }
        int n = pixels * f;
        float[] y = outCopies[slot];
        if (y == null) {
            y = new float[n];
            outCopies[slot] = y;
        }
        System.arraycopy(grad, o, r, 0, n);
        System.arraycopy(out, o, y, 0, n);
        DirectConvRows.reluGradient(n, y, r, penalty, scale);
        Arrays.fill(db, 0f);
        for (int i = 0; i < n; i += f) {
            for (int j = 0; j < f; j++) {
                db[j] += r[i + j];
            }
        }
        for (int j = 0; j < f; j++) {
            if (db[j] != db[j]) {
                dz(out, grad, o, r, db, relu, penalty, scale);
                return;
            }
        }
        System.arraycopy(r, 0, grad, o, n);
    }

    /**
     * dL/dz of one image from dL/dout at {@code grad[o …]} into {@code r} (and back into grad),
     * summed per filter into {@code db} (overwritten): as {@link DirectConvRows#dz}, the penalty's
     * gradient added first and relu's derivative from out without a branch.
     */
    void dz(float[] out, float[] grad, int o, float[] r, float[] db, boolean relu, int penalty, float scale) {
        Arrays.fill(db, 0f);
        int n = pixels * f;
        if (relu) {
            // The penalty's gradient as DirectConvRows.dz adds it: grad + scale (ABS), grad + 2·out·scale (SQUARE).
            for (int i = 0; i < n; i++) {
                float y = out[o + i];
                float v = penalty == DirectConv.ABS ? grad[o + i] + scale
                        : penalty == DirectConv.SQUARE ? grad[o + i] + 2 * y * scale : grad[o + i];
                int k = Float.floatToRawIntBits(y) - 1;
                int m = (k >> 31) | ((0x7f7fffff - k) >> 31);
                r[i] = Float.intBitsToFloat(Float.floatToRawIntBits(v) & ~m);
            }
            System.arraycopy(r, 0, grad, o, n);
        } else {
            System.arraycopy(grad, o, r, 0, n);
        }
        for (int i = 0; i < n; i += f) {
            for (int j = 0; j < f; j++) {
                db[j] += r[i + j];
            }
        }
    }
}
