package dev.tapgrad.runtime.kernel.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectConv}'s passes on the Vector API ({@code jdk.incubator.vector}), for filters a
 * multiple of the lanes; loaded by {@link VectorConvs} through its class name only where the
 * module is present. Each image is computed one vector of filters at a time (a block): the
 * block's kernel rows, bias, floor and running sums are loop-invariant vectors that C2 keeps in
 * registers across all the image's pixels, and each pixel reads its patch values straight from
 * the image (broadcast to a vector each) at fixed offsets from its first, so there is no
 * per-pixel gather. With 9-value patches (3×3 over one channel) the taps are written out, so that
 * the 9 kernel rows (forward) or the 9 kernel-gradient accumulators (backward) are registers, and
 * blocks go in pairs where the filters allow (32 filters on 16 lanes), each broadcast patch value
 * feeding both: 1.5 times faster than single blocks, whose broadcasts took the port of one of the
 * two FMA units. Other patch sizes loop over the taps with the kernel and accumulators in L1.
 *
 * <p>Two JDK 17 C2 limits shape the loops: a vector that is a phi of two nested loops (an
 * accumulator across rows and columns) or of two branches was left boxed, a hundred times slower.
 * So the backward passes run one flat loop over the pixels, and the relu mask, the penalty's
 * gradient and its sum are selected by loop-invariant masks instead of branches.
 *
 * <p>Padded layers (SAME, or a VALID layer whose last window reads past the image) first copy
 * the image into a zero-bordered one per thread, so every pixel reads inside.
 *
 * <p>The sums run in the order of DirectConv's loops: forward bias, then the taps in patch order
 * by fused multiply-adds; backward the pixels in order for every kernel-gradient and bias sum,
 * and dL/dz from {@code grad + scale} or {@code grad + 2·out·scale} as DirectConv computes it.
 * Each image's gradients go to DirectConv's partials, which it reduces in image order. Every
 * vector is a local of the method that uses it, so that C2 scalar-replaces them all.
 */
final class VectorConv implements ConvPasses {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector; read by {@link VectorConvs}. */
    static final int LANES = S.length();

    private final ConvGeometry g;
    private final int f;
    private final int patch;
    /** Offsets of a patch's values, ordered (ky, kx, channel) as the kernel's rows, from its first value. */
    private final int[] taps;
    /** Values per row and per image of the image the passes read (x itself, or its padded copy). */
    private final int rowStep;
    private final int imageStep;
    /** Offset between vertically and horizontally neighbouring pixels' first patch values. */
    private final int pixelRowStep;
    private final int pixelColStep;
    /** Per slot: the zero-bordered copy of one image; null when the layer reads x directly. */
    private final float[][] padded;
    /** The (patch, filters) kernel of the latest {@link #loadKernel}. */
    private final float[] kernel;
    /** Per slot: one block's kernel-gradient accumulators for patches other than 9, (patch, lanes). */
    private final float[][] blockGrad;
    /** Per slot: one row's penalty lanes, and the image's running sums of them in double. */
    private final float[][] rowLanes;
    private final double[][] penaltyLanes;

    VectorConv(ConvGeometry geometry, int slots) {
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

    @Override
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums) {
        int pixels = g.pixels();
        for (int image = from; image < to; image++) {
            float[] src = image(x, image, slot);
            int base = padded == null ? image * imageStep : 0;
            double sum = 0;
            int jb = 0;
            if (patch == 9) {
                for (; jb + 2 * LANES <= f; jb += 2 * LANES) {
                    sum += forward9x2(src, base, bias, out, image * pixels * f + jb, floor, penalty, jb, slot);
                }
            }
            for (; jb < f; jb += LANES) {
                int o = image * pixels * f + jb;
                sum += patch == 9
                        ? forward9(src, base, bias, out, o, floor, penalty, jb, slot)
                        : forwardAny(src, base, bias, out, o, floor, penalty, jb, slot);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                penaltySums[image] = sum;
            }
        }
    }

    /** The image the passes read: x itself, or the slot's padded copy of image {@code image}. */
    private float[] image(float[] x, int image, int slot) {
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

    /**
     * One block of filters [jb, jb + lanes) of one image, 9-value patches: returns the block's
     * Σ|out| or Σout² (0 without a penalty). Each row's sums are added in float, then to
     * double lanes, bounding the float sums to a row of pixels.
     */
    private double forward9(float[] src, int base, float[] bias, float[] out, int o, float floor, int penalty, int jb,
            int slot) {
        float[] k = kernel;
        int n = f;
        FloatVector k0 = FloatVector.fromArray(S, k, jb);
        FloatVector k1 = FloatVector.fromArray(S, k, n + jb);
        FloatVector k2 = FloatVector.fromArray(S, k, 2 * n + jb);
        FloatVector k3 = FloatVector.fromArray(S, k, 3 * n + jb);
        FloatVector k4 = FloatVector.fromArray(S, k, 4 * n + jb);
        FloatVector k5 = FloatVector.fromArray(S, k, 5 * n + jb);
        FloatVector k6 = FloatVector.fromArray(S, k, 6 * n + jb);
        FloatVector k7 = FloatVector.fromArray(S, k, 7 * n + jb);
        FloatVector k8 = FloatVector.fromArray(S, k, 8 * n + jb);
        FloatVector b = FloatVector.fromArray(S, bias, jb);
        FloatVector lo = FloatVector.broadcast(S, floor);
        // The penalty's term |a|·1 or |a|·|a| without a branch (C2 on JDK 17 boxes vectors merged
        // after one); computed and dropped without a penalty.
        FloatVector one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        float[] lanes = rowLanes[slot];
        double[] sums = penaltyLanes[slot];
        Arrays.fill(sums, 0);
        int outW = g.outW;
        int colStep = pixelColStep;
        for (int oy = 0; oy < g.outH; oy++) {
            int p = base + oy * pixelRowStep;
            FloatVector pen = FloatVector.zero(S);
            for (int ox = 0; ox < outW; ox++, p += colStep, o += n) {
                FloatVector a = FloatVector.broadcast(S, src[p + t0]).fma(k0, b);
                a = FloatVector.broadcast(S, src[p + t1]).fma(k1, a);
                a = FloatVector.broadcast(S, src[p + t2]).fma(k2, a);
                a = FloatVector.broadcast(S, src[p + t3]).fma(k3, a);
                a = FloatVector.broadcast(S, src[p + t4]).fma(k4, a);
                a = FloatVector.broadcast(S, src[p + t5]).fma(k5, a);
                a = FloatVector.broadcast(S, src[p + t6]).fma(k6, a);
                a = FloatVector.broadcast(S, src[p + t7]).fma(k7, a);
                a = FloatVector.broadcast(S, src[p + t8]).fma(k8, a);
                a = a.max(lo); // Math.max semantics: NaN stays NaN
                a.intoArray(out, o);
                FloatVector abs = a.abs();
                pen = abs.fma(one.blend(abs, square), pen);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                pen.intoArray(lanes, 0);
                addLanes(lanes, sums);
            }
        }
        return total(sums);
    }

    /**
     * {@link #forward9} for two blocks of filters [jb, jb + 2·lanes) at once: each patch value is
     * broadcast once for both (a broadcast takes the port one of the FMAs would), 18 kernel rows in
     * registers. The same sums in the same order as two calls of forward9.
     */
    private double forward9x2(float[] src, int base, float[] bias, float[] out, int o, float floor, int penalty,
            int jb, int slot) {
        float[] k = kernel;
        int n = f;
        int jc = jb + LANES;
        FloatVector k0 = FloatVector.fromArray(S, k, 0 * n + jb), m0 = FloatVector.fromArray(S, k, 0 * n + jc);
        FloatVector k1 = FloatVector.fromArray(S, k, 1 * n + jb), m1 = FloatVector.fromArray(S, k, 1 * n + jc);
        FloatVector k2 = FloatVector.fromArray(S, k, 2 * n + jb), m2 = FloatVector.fromArray(S, k, 2 * n + jc);
        FloatVector k3 = FloatVector.fromArray(S, k, 3 * n + jb), m3 = FloatVector.fromArray(S, k, 3 * n + jc);
        FloatVector k4 = FloatVector.fromArray(S, k, 4 * n + jb), m4 = FloatVector.fromArray(S, k, 4 * n + jc);
        FloatVector k5 = FloatVector.fromArray(S, k, 5 * n + jb), m5 = FloatVector.fromArray(S, k, 5 * n + jc);
        FloatVector k6 = FloatVector.fromArray(S, k, 6 * n + jb), m6 = FloatVector.fromArray(S, k, 6 * n + jc);
        FloatVector k7 = FloatVector.fromArray(S, k, 7 * n + jb), m7 = FloatVector.fromArray(S, k, 7 * n + jc);
        FloatVector k8 = FloatVector.fromArray(S, k, 8 * n + jb), m8 = FloatVector.fromArray(S, k, 8 * n + jc);
        FloatVector b = FloatVector.fromArray(S, bias, jb);
        FloatVector c = FloatVector.fromArray(S, bias, jc);
        FloatVector lo = FloatVector.broadcast(S, floor);
        FloatVector one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        float[] lanes = rowLanes[slot];
        double[] sums = penaltyLanes[slot];
        Arrays.fill(sums, 0);
        int outW = g.outW;
        int colStep = pixelColStep;
        for (int oy = 0; oy < g.outH; oy++) {
            int p = base + oy * pixelRowStep;
            FloatVector pen = FloatVector.zero(S);
            FloatVector pem = FloatVector.zero(S);
            for (int ox = 0; ox < outW; ox++, p += colStep, o += n) {
                FloatVector x = FloatVector.broadcast(S, src[p + t0]);
                FloatVector a = x.fma(k0, b);
                FloatVector e = x.fma(m0, c);
                x = FloatVector.broadcast(S, src[p + t1]);
                a = x.fma(k1, a);
                e = x.fma(m1, e);
                x = FloatVector.broadcast(S, src[p + t2]);
                a = x.fma(k2, a);
                e = x.fma(m2, e);
                x = FloatVector.broadcast(S, src[p + t3]);
                a = x.fma(k3, a);
                e = x.fma(m3, e);
                x = FloatVector.broadcast(S, src[p + t4]);
                a = x.fma(k4, a);
                e = x.fma(m4, e);
                x = FloatVector.broadcast(S, src[p + t5]);
                a = x.fma(k5, a);
                e = x.fma(m5, e);
                x = FloatVector.broadcast(S, src[p + t6]);
                a = x.fma(k6, a);
                e = x.fma(m6, e);
                x = FloatVector.broadcast(S, src[p + t7]);
                a = x.fma(k7, a);
                e = x.fma(m7, e);
                x = FloatVector.broadcast(S, src[p + t8]);
                a = x.fma(k8, a);
                e = x.fma(m8, e);
                a = a.max(lo);
                e = e.max(lo);
                a.intoArray(out, o);
                e.intoArray(out, o + LANES);
                FloatVector abs = a.abs();
                pen = abs.fma(one.blend(abs, square), pen);
                FloatVector abe = e.abs();
                pem = abe.fma(one.blend(abe, square), pem);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                pen.add(pem).intoArray(lanes, 0);
                addLanes(lanes, sums);
            }
        }
        return total(sums);
    }

    /**
     * {@link #backward9} for two blocks of filters at once, each patch value broadcast once for
     * both: 18 kernel-gradient accumulators and 2 bias sums in registers.
     */
    private void backward9x2(float[] src, int base, float[] out, float[] grad, int o, boolean relu, int penalty,
            float scale, int jb, float[] partials, int partial) {
        int n = f;
        FloatVector sc = FloatVector.broadcast(S, scale);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        VectorMask<Float> linear = S.maskAll(!relu);
        FloatVector d0 = FloatVector.zero(S), e0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S), e1 = FloatVector.zero(S);
        FloatVector d2 = FloatVector.zero(S), e2 = FloatVector.zero(S);
        FloatVector d3 = FloatVector.zero(S), e3 = FloatVector.zero(S);
        FloatVector d4 = FloatVector.zero(S), e4 = FloatVector.zero(S);
        FloatVector d5 = FloatVector.zero(S), e5 = FloatVector.zero(S);
        FloatVector d6 = FloatVector.zero(S), e6 = FloatVector.zero(S);
        FloatVector d7 = FloatVector.zero(S), e7 = FloatVector.zero(S);
        FloatVector d8 = FloatVector.zero(S), e8 = FloatVector.zero(S);
        FloatVector db = FloatVector.zero(S), eb = FloatVector.zero(S);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        int outW = g.outW;
        int colStep = pixelColStep;
        int rowJump = pixelRowStep - outW * colStep;
        int pixels = g.pixels();
        for (int q = 0, ox = 0, p = base; q < pixels; q++, o += n) {
            FloatVector gz = dz(grad, out, o, sc, penalized, square, linear);
            FloatVector gy = dz(grad, out, o + LANES, sc, penalized, square, linear);
            db = db.add(gz);
            eb = eb.add(gy);
            FloatVector x0 = FloatVector.broadcast(S, src[p + t0]);
            d0 = x0.fma(gz, d0);
            e0 = x0.fma(gy, e0);
            FloatVector x1 = FloatVector.broadcast(S, src[p + t1]);
            d1 = x1.fma(gz, d1);
            e1 = x1.fma(gy, e1);
            FloatVector x2 = FloatVector.broadcast(S, src[p + t2]);
            d2 = x2.fma(gz, d2);
            e2 = x2.fma(gy, e2);
            FloatVector x3 = FloatVector.broadcast(S, src[p + t3]);
            d3 = x3.fma(gz, d3);
            e3 = x3.fma(gy, e3);
            FloatVector x4 = FloatVector.broadcast(S, src[p + t4]);
            d4 = x4.fma(gz, d4);
            e4 = x4.fma(gy, e4);
            FloatVector x5 = FloatVector.broadcast(S, src[p + t5]);
            d5 = x5.fma(gz, d5);
            e5 = x5.fma(gy, e5);
            FloatVector x6 = FloatVector.broadcast(S, src[p + t6]);
            d6 = x6.fma(gz, d6);
            e6 = x6.fma(gy, e6);
            FloatVector x7 = FloatVector.broadcast(S, src[p + t7]);
            d7 = x7.fma(gz, d7);
            e7 = x7.fma(gy, e7);
            FloatVector x8 = FloatVector.broadcast(S, src[p + t8]);
            d8 = x8.fma(gz, d8);
            e8 = x8.fma(gy, e8);
            p += colStep;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        d0.intoArray(partials, partial + 0 * n + jb);
        e0.intoArray(partials, partial + 0 * n + jb + LANES);
        d1.intoArray(partials, partial + 1 * n + jb);
        e1.intoArray(partials, partial + 1 * n + jb + LANES);
        d2.intoArray(partials, partial + 2 * n + jb);
        e2.intoArray(partials, partial + 2 * n + jb + LANES);
        d3.intoArray(partials, partial + 3 * n + jb);
        e3.intoArray(partials, partial + 3 * n + jb + LANES);
        d4.intoArray(partials, partial + 4 * n + jb);
        e4.intoArray(partials, partial + 4 * n + jb + LANES);
        d5.intoArray(partials, partial + 5 * n + jb);
        e5.intoArray(partials, partial + 5 * n + jb + LANES);
        d6.intoArray(partials, partial + 6 * n + jb);
        e6.intoArray(partials, partial + 6 * n + jb + LANES);
        d7.intoArray(partials, partial + 7 * n + jb);
        e7.intoArray(partials, partial + 7 * n + jb + LANES);
        d8.intoArray(partials, partial + 8 * n + jb);
        e8.intoArray(partials, partial + 8 * n + jb + LANES);
        db.intoArray(partials, partial + 9 * n + jb);
        eb.intoArray(partials, partial + 9 * n + jb + LANES);
    }

    /** {@link #forward9} for any patch size: the taps in a loop, the kernel rows read from L1. */
    private double forwardAny(float[] src, int base, float[] bias, float[] out, int o, float floor, int penalty,
            int jb, int slot) {
        float[] k = kernel;
        int[] t = taps;
        int n = f;
        int m = patch;
        FloatVector b = FloatVector.fromArray(S, bias, jb);
        FloatVector lo = FloatVector.broadcast(S, floor);
        // The penalty's term |a|·1 or |a|·|a| without a branch (C2 on JDK 17 boxes vectors merged
        // after one); computed and dropped without a penalty.
        FloatVector one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        float[] lanes = rowLanes[slot];
        double[] sums = penaltyLanes[slot];
        Arrays.fill(sums, 0);
        for (int oy = 0; oy < g.outH; oy++) {
            int p = base + oy * pixelRowStep;
            FloatVector pen = FloatVector.zero(S);
            for (int ox = 0; ox < g.outW; ox++, p += pixelColStep, o += n) {
                FloatVector a = b;
                for (int q = 0, kq = jb; q < m; q++, kq += n) {
                    a = FloatVector.broadcast(S, src[p + t[q]]).fma(FloatVector.fromArray(S, k, kq), a);
                }
                a = a.max(lo);
                a.intoArray(out, o);
                FloatVector abs = a.abs();
                pen = abs.fma(one.blend(abs, square), pen);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                pen.intoArray(lanes, 0);
                addLanes(lanes, sums);
            }
        }
        return total(sums);
    }

    @Override
    public void backward(float[] x, float[] out, float[] grad, boolean relu, int penalty, float scale, int from,
            int to, int slot, float[] partials) {
        int pixels = g.pixels();
        for (int image = from; image < to; image++) {
            float[] src = image(x, image, slot);
            int base = padded == null ? image * imageStep : 0;
            int partial = image * (patch * f + f);
            int jb = 0;
            if (patch == 9) {
                for (; jb + 2 * LANES <= f; jb += 2 * LANES) {
                    backward9x2(src, base, out, grad, image * pixels * f + jb, relu, penalty, scale, jb, partials,
                            partial);
                }
            }
            for (; jb < f; jb += LANES) {
                int o = image * pixels * f + jb;
                if (patch == 9) {
                    backward9(src, base, out, grad, o, relu, penalty, scale, jb, partials, partial);
                } else {
                    backwardAny(src, base, out, grad, o, relu, penalty, scale, jb, partials, partial, slot);
                }
            }
        }
    }


    /**
     * dL/dz of the block of filters at {@code o} of one pixel from dL/dout in {@code grad} and
     * {@code out}, written back into grad and returned; without a branch (C2 on JDK 17 boxed
     * vectors merged after one): with relu ({@code penalized} when there is a penalty), the
     * penalty's gradient added as DirectConv adds it (grad + scale, or grad + 2·out·scale where
     * {@code square}: the same floats as adding it first), then relu's derivative out > 0 (false at
     * 0 and for NaN, giving +0 as DirectConv's bit mask); {@code linear} (no relu) keeps grad as it
     * is. Small enough that C2 inlines it into every pass, so its vectors stay in registers.
     */
    private static FloatVector dz(float[] grad, float[] out, int o, FloatVector scale, VectorMask<Float> penalized,
            VectorMask<Float> square, VectorMask<Float> linear) {
        FloatVector g = FloatVector.fromArray(S, grad, o);
        FloatVector y = FloatVector.fromArray(S, out, o);
        g = g.blend(g.add(scale.blend(y.add(y).mul(scale), square)), penalized);
        g = FloatVector.zero(S).blend(g, y.compare(VectorOperators.GT, 0f).or(linear));
        g.intoArray(grad, o);
        return g;
    }

    /** Adds one row's penalty lanes to the image's running sums in double. */
    private static void addLanes(float[] lanes, double[] sums) {
        for (int l = 0; l < LANES; l++) {
            sums[l] += lanes[l];
        }
    }

    /** The image's penalty sum: its lanes' sums added in lane order. */
    private static double total(double[] sums) {
        double s = 0;
        for (int l = 0; l < LANES; l++) {
            s += sums[l];
        }
        return s;
    }

    /**
     * One block of filters of one image, 9-value patches: dL/dz of each pixel ({@link #dz}) written
     * back into grad, summed for the bias and multiplied into the 9 kernel-gradient rows, all
     * accumulated in registers over the image and stored into the image's partials at the end.
     */
    private void backward9(float[] src, int base, float[] out, float[] grad, int o, boolean relu, int penalty,
            float scale, int jb, float[] partials, int partial) {
        int n = f;
        FloatVector sc = FloatVector.broadcast(S, scale);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        VectorMask<Float> linear = S.maskAll(!relu);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S);
        FloatVector d2 = FloatVector.zero(S);
        FloatVector d3 = FloatVector.zero(S);
        FloatVector d4 = FloatVector.zero(S);
        FloatVector d5 = FloatVector.zero(S);
        FloatVector d6 = FloatVector.zero(S);
        FloatVector d7 = FloatVector.zero(S);
        FloatVector d8 = FloatVector.zero(S);
        FloatVector db = FloatVector.zero(S);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        int outW = g.outW;
        int colStep = pixelColStep;
        int rowJump = pixelRowStep - outW * colStep;
        int pixels = g.pixels();
        // One loop over the pixels: C2 (JDK 17) boxed the accumulators when they were phis of two nested loops.
        for (int q = 0, ox = 0, p = base; q < pixels; q++, o += n) {
            FloatVector gz = dz(grad, out, o, sc, penalized, square, linear);
            db = db.add(gz);
            d0 = FloatVector.broadcast(S, src[p + t0]).fma(gz, d0);
            d1 = FloatVector.broadcast(S, src[p + t1]).fma(gz, d1);
            d2 = FloatVector.broadcast(S, src[p + t2]).fma(gz, d2);
            d3 = FloatVector.broadcast(S, src[p + t3]).fma(gz, d3);
            d4 = FloatVector.broadcast(S, src[p + t4]).fma(gz, d4);
            d5 = FloatVector.broadcast(S, src[p + t5]).fma(gz, d5);
            d6 = FloatVector.broadcast(S, src[p + t6]).fma(gz, d6);
            d7 = FloatVector.broadcast(S, src[p + t7]).fma(gz, d7);
            d8 = FloatVector.broadcast(S, src[p + t8]).fma(gz, d8);
            p += colStep;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        d0.intoArray(partials, partial + jb);
        d1.intoArray(partials, partial + n + jb);
        d2.intoArray(partials, partial + 2 * n + jb);
        d3.intoArray(partials, partial + 3 * n + jb);
        d4.intoArray(partials, partial + 4 * n + jb);
        d5.intoArray(partials, partial + 5 * n + jb);
        d6.intoArray(partials, partial + 6 * n + jb);
        d7.intoArray(partials, partial + 7 * n + jb);
        d8.intoArray(partials, partial + 8 * n + jb);
        db.intoArray(partials, partial + 9 * n + jb);
    }

    /** {@link #backward9} for any patch size: the kernel-gradient accumulators in the slot's L1 scratch. */
    private void backwardAny(float[] src, int base, float[] out, float[] grad, int o, boolean relu, int penalty,
            float scale, int jb, float[] partials, int partial, int slot) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        VectorMask<Float> linear = S.maskAll(!relu);
        int n = f;
        int m = patch;
        int[] t = taps;
        float[] dk = blockGrad[slot];
        Arrays.fill(dk, 0f);
        FloatVector db = FloatVector.zero(S);
        int outW = g.outW;
        int rowJump = pixelRowStep - outW * pixelColStep;
        int pixels = g.pixels();
        // One loop over the pixels, as backward9's.
        for (int i = 0, ox = 0, p = base; i < pixels; i++, o += n) {
            FloatVector gz = dz(grad, out, o, sc, penalized, square, linear);
            db = db.add(gz);
            for (int q = 0, d = 0; q < m; q++, d += LANES) {
                FloatVector.broadcast(S, src[p + t[q]]).fma(gz, FloatVector.fromArray(S, dk, d)).intoArray(dk, d);
            }
            p += pixelColStep;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        for (int q = 0; q < m; q++) {
            System.arraycopy(dk, q * LANES, partials, partial + q * n + jb, LANES);
        }
        db.intoArray(partials, partial + m * n + jb);
    }
}
