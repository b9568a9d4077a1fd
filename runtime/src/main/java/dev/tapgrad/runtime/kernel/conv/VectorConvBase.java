package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What {@link VectorConv}'s passes share: the layer's geometry as the passes walk it (patch
 * offsets, row and pixel steps, the zero-bordered copy of a padded image), the kernel rows, the
 * per-thread scratch, and the small vector steps C2 inlines into every pass (a kernel row, a
 * broadcast patch value, three taps' fused multiply-adds in DirectConv's order, the floored store
 * with its penalty term, the penalty lanes' sums). Loaded only with VectorConv, where the
 * {@code jdk.incubator.vector} module is present.
 */
abstract class VectorConvBase implements ConvPasses {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector; read by {@link VectorConvs}. */
    static final int LANES = S.length();

    final ConvGeometry g;
    final int f;
    final int patch;
    /** Offsets of a patch's values, ordered (ky, kx, channel) as the kernel's rows, from its first value. */
    final int[] taps;
    /** Values per row and per image of the image the passes read (x itself, or its padded copy). */
    final int rowStep;
    final int imageStep;
    /** Offset between vertically and horizontally neighbouring pixels' first patch values. */
    final int pixelRowStep;
    final int pixelColStep;
    /** Per slot: the zero-bordered copy of one image; null when the layer reads x directly. */
    final float[][] padded;
    /** The (patch, filters) kernel of the latest {@link #loadKernel}. */
    final float[] kernel;
    /** Per slot: one block's kernel-gradient accumulators for patches other than 9, (patch, lanes). */
    final float[][] blockGrad;
    /** Per slot: one row's penalty lanes, and the image's running sums of them in double. */
    final float[][] rowLanes;
    final double[][] penaltyLanes;

    VectorConvBase(ConvGeometry geometry, int slots) {
        if (geometry.filters % LANES != 0) {
            throw new IllegalArgumentException("VectorConv: " + geometry.filters + " filters are not a multiple of "
                    + LANES + " lanes");
        }
        this.g = geometry;
        this.f = geometry.filters;
        this.patch = geometry.patch;
        int c = geometry.channels;
        // The rows and columns the windows span: those beyond the image are padding.
        int spanH = (geometry.outH - 1) * geometry.strideH + geometry.kernelH;
        int spanW = (geometry.outW - 1) * geometry.strideW + geometry.kernelW;
        boolean pad = geometry.padTop > 0 || geometry.padLeft > 0 || spanH > geometry.height
                || spanW > geometry.width;
        this.rowStep = (pad ? spanW : geometry.width) * c;
        this.imageStep = pad ? 0 : geometry.height * geometry.width * c;
        this.pixelRowStep = geometry.strideH * rowStep;
        this.pixelColStep = geometry.strideW * c;
        this.padded = pad ? new float[slots][spanH * spanW * c + 16] : null;
        this.taps = new int[patch];
        for (int ky = 0, q = 0; ky < geometry.kernelH; ky++) {
            for (int kx = 0; kx < geometry.kernelW; kx++) {
                for (int ch = 0; ch < c; ch++) {
                    taps[q++] = ky * rowStep + kx * c + ch;
                }
            }
        }
        this.kernel = new float[patch * f];
        this.blockGrad = new float[slots][patch * LANES + 16];
        this.rowLanes = new float[slots][LANES + 16];
        this.penaltyLanes = new double[slots][LANES + 8];
    }


    @Override
    public void loadKernel(float[] k) {
        System.arraycopy(k, 0, kernel, 0, patch * f);
    }


    /** The image the passes read: x itself, or the slot's padded copy of image {@code image}. */
    final float[] image(float[] x, int image, int slot) {
        if (padded == null) {
            return x;
        }
        float[] dst = padded[slot];
        int c = g.channels;
        int spanH = (g.outH - 1) * g.strideH + g.kernelH;
        int spanW = (g.outW - 1) * g.strideW + g.kernelW;
        // Rows and columns of x inside the span; everything else of dst stays zero from allocation.
        int rows = Math.min(g.height, spanH - g.padTop);
        int run = Math.min(g.width, spanW - g.padLeft) * c;
        for (int iy = 0; iy < rows; iy++) {
            System.arraycopy(x, ((image * g.height + iy) * g.width) * c, dst, ((iy + g.padTop) * spanW + g.padLeft) * c,
                    run);
        }
        return dst;
    }


    /** Row {@code q} of the kernel, filters [jb, jb + lanes). */
    final FloatVector row(int q, int jb) {
        return FloatVector.fromArray(S, kernel, q * f + jb);
    }

    /** Patch value {@code src[i]} in every lane. */
    static FloatVector at(float[] src, int i) {
        return FloatVector.broadcast(S, src[i]);
    }

    /**
     * Three taps into an accumulator, x0·k0 then x1·k1 then x2·k2, each a fused multiply-add: the
     * order of DirectConv's patch loop. The patch values come in already broadcast.
     */
    static FloatVector fma3(FloatVector acc, FloatVector x0, FloatVector x1, FloatVector x2, FloatVector k0,
            FloatVector k1, FloatVector k2) {
        return x2.fma(k2, x1.fma(k1, x0.fma(k0, acc)));
    }

    /**
     * Stores a pixel's block, {@code max(a, lo)} (Math.max semantics: NaN stays NaN), at
     * {@code out[o]}, and returns the row's penalty lanes {@code pen} plus its term |a|·1, or
     * |a|·|a| where {@code square}, without a branch (C2 on JDK 17 boxes vectors merged after one).
     */
    static FloatVector store(FloatVector a, FloatVector lo, float[] out, int o, FloatVector one,
            VectorMask<Float> square, FloatVector pen) {
        a = a.max(lo);
        a.intoArray(out, o);
        FloatVector abs = a.abs();
        return abs.fma(one.blend(abs, square), pen);
    }

    /**
     * Adds one row's penalty lanes, summed in float and stored into the slot's {@code rowLanes}, to
     * the slot's running sums in double (which bounds the float sums to a row of pixels). Called
     * only with a penalty: a call C2 does not inline (its node-count cutoff) makes the pass spill
     * every vector around it, and an untaken branch is pruned. No vector argument, so nothing is
     * boxed either way.
     */
    final void addRow(int slot) {
        float[] lanes = rowLanes[slot];
        double[] sums = penaltyLanes[slot];
        for (int l = 0; l < LANES; l++) {
            sums[l] += lanes[l];
        }
    }

    /** A block's penalty sum: its lanes' sums added in lane order, then cleared for the next block. */
    static double total(double[] sums) {
        double s = 0;
        for (int l = 0; l < LANES; l++) {
            s += sums[l];
            sums[l] = 0;
        }
        return s;
    }
}
