package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.Platform;
import dev.tapgrad.runtime.kernel.math.SumMath;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;

/**
 * Direct convolution for layers with small patches (a 3×3 kernel over one channel): no im2col, and
 * every pass over the (B, OH, OW, filters) tensors fused into one. Those tensors are megabytes
 * (2.8 MB at B = 32 for the CNN's 26×26×32), larger than L2, so each extra pass costs more than the
 * arithmetic.
 *
 * <p>Forward, per output pixel: its patch gathered into a small array, then
 * {@code out[f] = act(bias[f] + Σ_p patch[p]·K[p][f])} along the filters axis, in loops of four or
 * five kernel rows (the most C2 still unrolls and vectorises; each row its own array at offset 0,
 * as C2 needs), the last with the activation floor, stored once. Backward (kernel and bias
 * gradients), per pair of output pixels: dL/dz = relu'(out)·dL/dout written back and summed for the
 * bias, then {@code dK[p][f] += patch_a[p]·g_a[f] + patch_b[p]·g_b[f]} for three kernel rows per
 * loop (two pixels per loop halves the accumulator traffic). Each image's gradients are summed in
 * float, then the images in double in image order, so the result does not depend on the threads.
 *
 * <p>Only used with hardware FMA ({@link #FMA}): the loops are {@link Math#fma} chains. Where the
 * Vector API can run ({@link VectorConvs}), both passes are its {@link ConvPasses} instead, which
 * keep a vector of filters' kernel rows and gradient sums in registers across an image (C2's
 * auto-vectoriser handles a 32-filter loop poorly); these loops are the fallback.
 *
 * <p>A kernel, not user API: public for {@code layers.Conv2D}, which owns one per layer.
 */
public final class DirectConv {
    /** Whether {@code Math.fma} is a hardware instruction here; the direct path needs it. */
    public static final boolean FMA = Platform.FMA;
    /** Float lanes of the Vector API's passes, 0 where they cannot run; they take layers whose filters are a multiple. */
    public static final int VECTOR_LANES = VectorConvs.LANES;

    private final ConvGeometry g;
    /** Forward groups of kernel rows, each 4 or 5; they sum to {@link #paddedPatch}. */
    private final int[] groups;
    /** The patch rounded up to a sum of 4s and 5s; the extra rows and patch values are zeros. */
    private final int paddedPatch;
    /** The kernel as (paddedPatch) rows of filters, each its own array; refreshed every forward. */
    private final float[][] rows;
    /** Per slot: patches of two pixels, accumulator, output row, masked gradients of two pixels, bias sums. */
    private final float[][] patchA;
    private final float[][] patchB;
    private final float[][] acc;
    private final float[][] store;
    private final float[][] gradA;
    private final float[][] gradB;
    private final float[][] biasAcc;
    /** Per slot: one image's kernel gradient, (patch) rows of filters. */
    private final float[][][] kernelAcc;
    /** Per image: its kernel gradient then its bias gradient, reduced in image order; sized per batch. */
    private float[] partials = new float[0];
    /** Per image: the sum of |out| or out² of the latest forward with an output penalty. */
    private double[] penaltySums = new double[0];
    /** Per slot: one image's running Σ|out| or Σout² per filter, in double (an elementwise add vectorises, a reduction does not). */
    private final double[][] penaltyAcc;
    private final double[] sums;
    /** Columns of the partials per chunk of {@link #reduce} (a few KB of each image's block). */
    private static final int REDUCE_GRAIN = 1024;
    /** {@link #reduce}'s arguments while its loop runs (a body built once: nothing is allocated per call). */
    private int reduceBatch;
    private float[] reduceKernel;
    private float[] reduceBias;
    private final ParallelFor.Body reduceBody = (from, to, slot) -> reduceColumns(from, to);
    /** The passes of another implementation (the Vector API's, or {@link ImageConv}'s), or null when these loops compute. */
    private final ConvPasses vector;

    /**
     * Scratch for {@code slots} threads; the Vector API's passes when {@code vector} and {@link
     * VectorConvs#suits}; for patches larger than {@link #SMALL_PATCH}, {@link ImageConv}'s per-image passes.
     */
    public DirectConv(ConvGeometry geometry, int slots, boolean vector) {
        this.g = geometry;
        this.vector = !smallPatch(geometry) ? ImageConv.create(geometry, slots, vector)
                : vector && VectorConvs.suits(geometry) ? VectorConvs.create(geometry, slots) : null;
        int f = geometry.filters;
        int p = geometry.patch;
        this.paddedPatch = roundUpToRowGroups(p);
        this.groups = rowGroups(paddedPatch);
        this.rows = new float[paddedPatch][f];
        this.patchA = perSlot(slots, paddedPatch);
        this.patchB = perSlot(slots, paddedPatch);
        this.acc = perSlot(slots, f);
        this.store = perSlot(slots, f);
        this.gradA = perSlot(slots, f);
        this.gradB = perSlot(slots, f);
        this.biasAcc = perSlot(slots, f);
        this.penaltyAcc = new double[slots][f + 8];
        this.kernelAcc = new float[slots][][];
        for (int s = 0; s < slots; s++) {
            kernelAcc[s] = perSlot(p, f);
        }
        this.sums = new double[p * f + f];
    }

    /** Patches up to this many values take these loops (or VectorConv); larger ones {@link ImageConv}. */
    static final int SMALL_PATCH = 32;

    /**
     * Whether the direct kernel is the faster choice for this layer (measured: see Conv2D): small
     * patches into 16 filters or more; larger patches ({@link ImageConv}, one image at a time) where
     * the Vector API's implicit-GEMM passes suit them or the GEMM is the portable one (with the
     * vector GEMM, im2col + GEMM per image measured 8% slower than the chunked path on one core).
     * {@code -Dtapgrad.conv.perImage=false} keeps every large patch on the chunked im2col path.
     */
    public static boolean suits(ConvGeometry geometry) {
        if (!smallPatch(geometry)) {
            return !"false".equalsIgnoreCase(System.getProperty("tapgrad.conv.perImage"))
                    && (!Platform.vectorUsable() || ImageConv.vectorSuits(geometry));
        }
        return FMA && geometry.filters >= 16;
    }

    private static boolean smallPatch(ConvGeometry geometry) {
        return geometry.patch <= SMALL_PATCH;
    }

    /** Whether {@link #backward} adds dL/dx too (given a gx); otherwise the layer's im2col path computes it. */
    public boolean inputGradient() {
        return vector != null && vector.inputGradient();
    }

    /** Copies the (patch, filters) kernel into the per-row arrays the loops read; call before {@link #forward}. */
    public void loadKernel(float[] kernel) {
        if (vector != null) {
            vector.loadKernel(kernel);
            return;
        }
        int f = g.filters;
        for (int p = 0; p < g.patch; p++) {
            System.arraycopy(kernel, p * f, rows[p], 0, f);
        }
    }

    /** No output penalty, or an L1 or L2 one summed while the output is stored. */
    public static final int NO_PENALTY = 0;
    public static final int ABS = 1;
    public static final int SQUARE = 2;

    /**
     * Writes {@code max(conv(x) + bias, floor)} for images [from, to) into {@code out}, (B, OH, OW,
     * filters): floor 0 is relu, −∞ the pre-activation itself (Math.max keeps NaN). With a
     * {@code penalty} ({@link #ABS}, {@link #SQUARE}) each image's Σ|out| or Σout² is summed while
     * its rows are in L1, for {@link #penaltySum}.
     */
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot) {
        if (vector != null) {
            vector.forward(x, bias, out, floor, penalty, from, to, slot, penaltySums);
            return;
        }
        int f = g.filters;
        float[] xp = patchA[slot];
        float[] a = acc[slot];
        float[] c = store[slot];
        int last = groups.length - 1;
        boolean patchOf9 = paddedPatch == 9;
        double[] pa = penaltyAcc[slot];
        for (int image = from; image < to; image++) {
            int o = image * g.pixels() * f;
            if (penalty != NO_PENALTY) {
                java.util.Arrays.fill(pa, 0);
            }
            for (int oy = 0; oy < g.outH; oy++) {
                for (int ox = 0; ox < g.outW; ox++, o += f) {
                    g.gather(x, image, oy, ox, xp);
                    if (patchOf9) {
                        DirectConvRows.multiplyAddRows5(rows, a, bias, xp, 0, f);
                        DirectConvRows.multiplyAddRows4AndFloor(rows, c, a, floor, xp, 5, f);
                        System.arraycopy(c, 0, out, o, f);
                        if (penalty != NO_PENALTY) {
                            DirectConvRows.addPenalty(pa, c, penalty == SQUARE, f);
                        }
                        continue;
                    }
                    float[] src = bias;
                    int p = 0;
                    for (int k = 0; k < last; k++) {
                        if (groups[k] == 5) {
                            DirectConvRows.multiplyAddRows5(rows, a, src, xp, p, f);
                        } else {
                            DirectConvRows.multiplyAddRows4(rows, a, src, xp, p, f);
                        }
                        src = a;
                        p += groups[k];
                    }
                    if (groups[last] == 5) {
                        DirectConvRows.multiplyAddRows5AndFloor(rows, c, src, floor, xp, p, f);
                    } else {
                        DirectConvRows.multiplyAddRows4AndFloor(rows, c, src, floor, xp, p, f);
                    }
                    // Stored through a copy: a vector loop storing at an offset into out ran at half speed.
                    System.arraycopy(c, 0, out, o, f);
                    if (penalty != NO_PENALTY) {
                        DirectConvRows.addPenalty(pa, c, penalty == SQUARE, f);
                    }
                }
            }
            if (penalty != NO_PENALTY) {
                double imageSum = 0;
                for (int j = 0; j < f; j++) {
                    imageSum += pa[j];
                }
                penaltySums[image] = imageSum;
            }
        }
    }

    /** The output penalty's sum over images [0, batch) of the latest forward, added in image order. */
    public double penaltySum(int batch) {
        double s = 0;
        for (int image = 0; image < batch; image++) {
            s += penaltySums[image];
        }
        return s;
    }

    /**
     * Arrays of n values, each followed by a cache line of slack: arrays allocated one after the
     * other sit next to each other in memory, and two threads writing the ends of neighbouring
     * scratch arrays on every pixel made two threads no faster than one (false sharing).
     */
    private static float[][] perSlot(int count, int n) {
        float[][] a = new float[count][];
        for (int i = 0; i < count; i++) {
            a[i] = new float[n + 16];
        }
        return a;
    }

    /** Images per parallel chunk for {@link #forward} and {@link #backward}: what the passes ask for, else 1. */
    public int grain() {
        return vector != null ? vector.imagesPerCall() : 1;
    }

    /** Whether the Vector API's passes compute this layer. */
    public boolean vectorized() {
        return vector != null && !(vector instanceof ImageConv image && !image.vectorized());
    }

    /** Whether the passes run the forward and dL/dx as Winograd's F(2×2, 3×3) ({@link ConvPasses#winograd}). */
    public boolean winograd() {
        return vector != null && vector.winograd();
    }

    /** Sizes the per-image gradient partials for a batch; allocates only when the batch grows. */
    public void ensureBatch(int batch) {
        int need = batch * (g.patch * g.filters + g.filters);
        if (partials.length < need) {
            partials = new float[need];
        }
        if (penaltySums.length < batch) {
            penaltySums = new double[batch];
        }
    }

    /**
     * Kernel and bias gradients of images [from, to) into their partials. With {@code relu},
     * {@code grad} holds dL/dout and is first masked by {@code out > 0} (relu's derivative, 0 at 0
     * and for NaN), the result written back, so that {@code grad} holds dL/dz afterwards;
     * otherwise {@code grad} already holds dL/dz. With relu and an output {@code penalty}, its
     * gradient is added to dL/dout in the same pass: {@code scale} where out > 0 for {@link #ABS}
     * (sign(out) is 1 there, and the mask zeroes the rest), {@code 2·out·scale} for {@link
     * #SQUARE}; the same floats as adding the penalty's gradient first. Where {@link #inputGradient},
     * also adds dL/dx of the images to {@code gx} unless it is null, or with {@code accumulate} false
     * overwrites the images' part of gx with it.
     */
    public void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu,
            int penalty, float scale, int from, int to, int slot) {
        if (vector != null) {
            vector.backward(x, out, grad, inputGradient() ? gx : null, accumulate, relu, penalty, scale, from, to, slot,
                    partials);
            return;
        }
        int f = g.filters;
        int pixels = g.pixels();
        float[] xa = patchA[slot];
        float[] xb = patchB[slot];
        float[] ga = gradA[slot];
        float[] gb = gradB[slot];
        float[] db = biasAcc[slot];
        float[][] dk = kernelAcc[slot];
        for (int image = from; image < to; image++) {
            java.util.Arrays.fill(db, 0f);
            for (float[] row : dk) {
                java.util.Arrays.fill(row, 0f);
            }
            int base = image * pixels * f;
            for (int q = 0; q < pixels; q += 2) {
                g.gather(x, image, q / g.outW, q % g.outW, xa);
                DirectConvRows.dz(out, grad, base + q * f, ga, db, relu, penalty, scale, f);
                if (q + 1 < pixels) {
                    g.gather(x, image, (q + 1) / g.outW, (q + 1) % g.outW, xb);
                    DirectConvRows.dz(out, grad, base + (q + 1) * f, gb, db, relu, penalty, scale, f);
                } else {
                    // An odd pixel count: the pair's second pixel adds exact zeros.
                    java.util.Arrays.fill(xb, 0f);
                    java.util.Arrays.fill(gb, 0f);
                }
                int p = 0;
                for (; p + 3 <= g.patch; p += 3) {
                    DirectConvRows.multiplyAddGradientRows3(dk[p], dk[p + 1], dk[p + 2], xa, xb, p, ga, gb, f);
                }
                for (; p < g.patch; p++) {
                    DirectConvRows.multiplyAddGradientRow(dk[p], xa[p], xb[p], ga, gb, f);
                }
            }
            int off = image * (g.patch * f + f);
            for (int p = 0; p < g.patch; p++, off += f) {
                System.arraycopy(dk[p], 0, partials, off, f);
            }
            System.arraycopy(db, 0, partials, off, f);
        }
    }

    /**
     * Adds the images' partials, in image order in double, to the kernel and bias gradients; the
     * threads share the columns (each column's sum is the same chain whichever thread runs it, so
     * the bits do not depend on the threads). On one thread this ran after every backward pass
     * while the other core waited: 300k values for a 16 → 32 filter 3×3 layer at a batch of 64.
     */
    public void reduce(int batch, float[] kernelGrad, float[] biasGrad) {
        reduceBatch = batch;
        reduceKernel = kernelGrad;
        reduceBias = biasGrad;
        try {
            ParallelFor.run(g.patch * g.filters + g.filters, REDUCE_GRAIN, reduceBody);
        } finally {
            reduceKernel = null;
            reduceBias = null;
        }
    }

    /** {@link #reduce} for the columns [from, to) of an image's partials (the kernel's, then the bias's). */
    private void reduceColumns(int from, int to) {
        int kf = g.patch * g.filters;
        int stride = kf + g.filters;
        java.util.Arrays.fill(sums, from, to, 0);
        SumMath.addRows(partials, 0, stride, reduceBatch, sums, from, to);
        for (int j = from, end = Math.min(to, kf); j < end; j++) {
            reduceKernel[j] += (float) sums[j];
        }
        for (int j = Math.max(from, kf); j < to; j++) {
            reduceBias[j - kf] += (float) sums[j];
        }
    }

    /** The smallest count ≥ patch (and ≥ 4) that is a sum of 4s and 5s: 4, 5, 8, 9, 10, 12 and up. */
    static int roundUpToRowGroups(int patch) {
        int n = Math.max(patch, 4);
        while (n == 6 || n == 7 || n == 11) {
            n++;
        }
        return n;
    }

    /** Splits n (a sum of 4s and 5s) into as many 5s as possible, then 4s: fewer loops per pixel. */
    static int[] rowGroups(int n) {
        int groupsOf5 = n / 5;
        while ((n - 5 * groupsOf5) % 4 != 0) {
            groupsOf5--;
        }
        int groupsOf4 = (n - 5 * groupsOf5) / 4;
        int[] out = new int[groupsOf5 + groupsOf4];
        for (int i = 0; i < out.length; i++) {
            out[i] = i < groupsOf5 ? 5 : 4;
        }
        return out;
    }
}
