package dev.tapgrad.runtime.kernel.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DirectConv}'s passes on the Vector API ({@code jdk.incubator.vector}), for filters a
 * multiple of the lanes; loaded by {@link VectorConvs} through its class name only where the
 * module is present. Each image is computed one vector of filters at a time (a block): the
 * block's kernel rows, bias, floor and running sums are loop-invariant vectors that C2 keeps in
 * registers across all the image's pixels, and each pixel reads its patch values straight from
 * the image (broadcast to a vector each) at fixed offsets from its first, so there is no
 * per-pixel gather. With 9-value patches (3×3 over one channel) the taps are written out, in
 * rows of three in single blocks ({@link #fma3}: a small static helper C2 inlines, the FMA order
 * DirectConv's) and one line a tap in paired ones, so that the 9 kernel rows (forward) or the 9 kernel-gradient accumulators (backward) are registers, and
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
final class VectorConv extends VectorConvBase {
    /** Whether single blocks of 9-value patches take {@link VectorConvRows}' row tiles forward. */
    private final boolean rows;

    VectorConv(ConvGeometry geometry, int slots) {
        super(geometry, slots);
        this.rows = VectorConvRows.suits(geometry);
    }

    @Override
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums) {
        int pixels = g.pixels();
        double[] lanes = penaltyLanes[slot];
        for (int image = from; image < to; image++) {
            float[] src = image(x, image, slot);
            int base = padded == null ? image * imageStep : 0;
            double sum = 0;
            int jb = 0;
            if (patch == 9) {
                for (; jb + 2 * LANES <= f; jb += 2 * LANES) {
                    forward9x2(src, base, bias, out, image * pixels * f + jb, floor, penalty, jb, slot);
                    sum += total(lanes);
                }
            }
            for (; jb < f; jb += LANES) {
                int o = image * pixels * f + jb;
                if (patch == 9 && rows) {
                    VectorConvRows.forward9(this, src, base, bias, out, o, floor, penalty, jb, slot);
                } else if (patch == 9) {
                    forward9(src, base, bias, out, o, floor, penalty, jb, slot);
                } else {
                    forwardAny(src, base, bias, out, o, floor, penalty, jb, slot);
                }
                sum += total(lanes);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                penaltySums[image] = sum;
            }
        }
    }

    /**
     * One block of filters [jb, jb + lanes) of one image, 9-value patches, each pixel's taps in
     * three rows of {@link #fma3}; the block's Σ|out| or Σout² (summed whatever the penalty, kept
     * only with one) goes to the slot's penalty lanes ({@link #addRow}), for {@link #total}.
     */
    private void forward9(float[] src, int base, float[] bias, float[] out, int o, float floor, int penalty, int jb,
            int slot) {
        int n = f;
        FloatVector k0 = row(0, jb), k1 = row(1, jb), k2 = row(2, jb);
        FloatVector k3 = row(3, jb), k4 = row(4, jb), k5 = row(5, jb);
        FloatVector k6 = row(6, jb), k7 = row(7, jb), k8 = row(8, jb);
        FloatVector b = FloatVector.fromArray(S, bias, jb);
        // One and square make the penalty's term without a branch (see store).
        FloatVector lo = FloatVector.broadcast(S, floor), one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        int outW = g.outW;
        int colStep = pixelColStep;
        for (int oy = 0; oy < g.outH; oy++) {
            int p = base + oy * pixelRowStep;
            FloatVector pen = FloatVector.zero(S);
            for (int ox = 0; ox < outW; ox++, p += colStep, o += n) {
                FloatVector a = fma3(b, at(src, p + t0), at(src, p + t1), at(src, p + t2), k0, k1, k2);
                a = fma3(a, at(src, p + t3), at(src, p + t4), at(src, p + t5), k3, k4, k5);
                a = fma3(a, at(src, p + t6), at(src, p + t7), at(src, p + t8), k6, k7, k8);
                pen = store(a, lo, out, o, one, square, pen);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                pen.intoArray(rowLanes[slot], 0);
                addRow(slot);
            }
        }
    }

    /**
     * {@link #forward9} for two blocks of filters [jb, jb + 2·lanes) at once: each patch value is
     * broadcast once for both (a broadcast takes the port one of the FMAs would), 18 kernel rows in
     * registers. The same sums in the same order as two calls of forward9.
     */
    private void forward9x2(float[] src, int base, float[] bias, float[] out, int o, float floor, int penalty,
            int jb, int slot) {
        int n = f;
        int jc = jb + LANES;
        FloatVector k0 = row(0, jb), k1 = row(1, jb), k2 = row(2, jb);
        FloatVector k3 = row(3, jb), k4 = row(4, jb), k5 = row(5, jb);
        FloatVector k6 = row(6, jb), k7 = row(7, jb), k8 = row(8, jb);
        FloatVector m0 = row(0, jc), m1 = row(1, jc), m2 = row(2, jc);
        FloatVector m3 = row(3, jc), m4 = row(4, jc), m5 = row(5, jc);
        FloatVector m6 = row(6, jc), m7 = row(7, jc), m8 = row(8, jc);
        FloatVector b = FloatVector.fromArray(S, bias, jb), c = FloatVector.fromArray(S, bias, jc);
        FloatVector lo = FloatVector.broadcast(S, floor), one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        int outW = g.outW, colStep = pixelColStep;
        float[] lanes = rowLanes[slot];
        for (int oy = 0; oy < g.outH; oy++) {
            FloatVector pen = FloatVector.zero(S), pem = FloatVector.zero(S);
            for (int ox = 0, p = base + oy * pixelRowStep; ox < outW; ox++, p += colStep, o += n) {
                // One tap a line, its broadcast feeding both blocks (one broadcast live at a time:
                // three, through fma3, cost 15%).
                FloatVector x = at(src, p + t0), a = x.fma(k0, b), e = x.fma(m0, c);
                x = at(src, p + t1); a = x.fma(k1, a); e = x.fma(m1, e);
                x = at(src, p + t2); a = x.fma(k2, a); e = x.fma(m2, e);
                x = at(src, p + t3); a = x.fma(k3, a); e = x.fma(m3, e);
                x = at(src, p + t4); a = x.fma(k4, a); e = x.fma(m4, e);
                x = at(src, p + t5); a = x.fma(k5, a); e = x.fma(m5, e);
                x = at(src, p + t6); a = x.fma(k6, a); e = x.fma(m6, e);
                x = at(src, p + t7); a = x.fma(k7, a); e = x.fma(m7, e);
                x = at(src, p + t8); a = x.fma(k8, a); e = x.fma(m8, e);
                // store's steps written out: past C2's node-count cutoff for inlining (which this
                // pass reaches, the Vector API's calls being force-inlined) a helper taking vectors
                // would stay a call and box them.
                a = a.max(lo);
                e = e.max(lo);
                a.intoArray(out, o);
                e.intoArray(out, o + LANES);
                FloatVector abs = a.abs(), abe = e.abs();
                pen = abs.fma(one.blend(abs, square), pen);
                pem = abe.fma(one.blend(abe, square), pem);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                pen.add(pem).intoArray(lanes, 0);
                addRow(slot);
            }
        }
    }

    /** {@link #forward9} for any patch size: the taps in a loop, the kernel rows read from L1. */
    private void forwardAny(float[] src, int base, float[] bias, float[] out, int o, float floor, int penalty,
            int jb, int slot) {
        int n = f;
        int[] t = taps;
        int m = patch;
        FloatVector b = FloatVector.fromArray(S, bias, jb);
        FloatVector lo = FloatVector.broadcast(S, floor), one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        for (int oy = 0; oy < g.outH; oy++) {
            FloatVector pen = FloatVector.zero(S);
            for (int ox = 0, p = base + oy * pixelRowStep; ox < g.outW; ox++, p += pixelColStep, o += n) {
                FloatVector a = b;
                for (int q = 0; q < m; q++) {
                    a = at(src, p + t[q]).fma(row(q, jb), a);
                }
                pen = store(a, lo, out, o, one, square, pen);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                pen.intoArray(rowLanes[slot], 0);
                addRow(slot);
            }
        }
    }
    @Override
    public void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu,
            int penalty, float scale, int from, int to, int slot, float[] partials) {
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
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE), linear = S.maskAll(!relu);
        FloatVector d0 = FloatVector.zero(S), d1 = d0, d2 = d0, d3 = d0, d4 = d0, d5 = d0, d6 = d0, d7 = d0, d8 = d0;
        FloatVector db = d0;
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
            d0 = at(src, p + t0).fma(gz, d0);
            d1 = at(src, p + t1).fma(gz, d1);
            d2 = at(src, p + t2).fma(gz, d2);
            d3 = at(src, p + t3).fma(gz, d3);
            d4 = at(src, p + t4).fma(gz, d4);
            d5 = at(src, p + t5).fma(gz, d5);
            d6 = at(src, p + t6).fma(gz, d6);
            d7 = at(src, p + t7).fma(gz, d7);
            d8 = at(src, p + t8).fma(gz, d8);
            p += colStep;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        int i = partial + jb;
        d0.intoArray(partials, i);
        d1.intoArray(partials, i + f);
        d2.intoArray(partials, i + 2 * f);
        d3.intoArray(partials, i + 3 * f);
        d4.intoArray(partials, i + 4 * f);
        d5.intoArray(partials, i + 5 * f);
        d6.intoArray(partials, i + 6 * f);
        d7.intoArray(partials, i + 7 * f);
        d8.intoArray(partials, i + 8 * f);
        db.intoArray(partials, i + 9 * f);
    }

    /**
     * {@link #backward9} for two blocks of filters at once, each patch value broadcast once for
     * both: 18 kernel-gradient accumulators and 2 bias sums in registers. One line a tap: both
     * blocks' accumulators.
     */
    private void backward9x2(float[] src, int base, float[] out, float[] grad, int o, boolean relu, int penalty,
            float scale, int jb, float[] partials, int partial) {
        int n = f;
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE), linear = S.maskAll(!relu);
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector d0 = FloatVector.zero(S), d1 = d0, d2 = d0, d3 = d0, d4 = d0, d5 = d0, d6 = d0, d7 = d0, d8 = d0;
        FloatVector e0 = d0, e1 = d0, e2 = d0, e3 = d0, e4 = d0, e5 = d0, e6 = d0, e7 = d0, e8 = d0, db = d0, eb = d0;
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4];
        int t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        int outW = g.outW, colStep = pixelColStep, pixels = g.pixels();
        int rowJump = pixelRowStep - outW * colStep;
        for (int q = 0, ox = 0, p = base; q < pixels; q++, o += n) {
            FloatVector gz = dz(grad, out, o, sc, penalized, square, linear);
            FloatVector gy = dz(grad, out, o + LANES, sc, penalized, square, linear);
            db = db.add(gz);
            eb = eb.add(gy);
            // One tap a line, its broadcast feeding both blocks (one broadcast live at a time).
            FloatVector x = at(src, p + t0); d0 = x.fma(gz, d0); e0 = x.fma(gy, e0);
            x = at(src, p + t1); d1 = x.fma(gz, d1); e1 = x.fma(gy, e1);
            x = at(src, p + t2); d2 = x.fma(gz, d2); e2 = x.fma(gy, e2);
            x = at(src, p + t3); d3 = x.fma(gz, d3); e3 = x.fma(gy, e3);
            x = at(src, p + t4); d4 = x.fma(gz, d4); e4 = x.fma(gy, e4);
            x = at(src, p + t5); d5 = x.fma(gz, d5); e5 = x.fma(gy, e5);
            x = at(src, p + t6); d6 = x.fma(gz, d6); e6 = x.fma(gy, e6);
            x = at(src, p + t7); d7 = x.fma(gz, d7); e7 = x.fma(gy, e7);
            x = at(src, p + t8); d8 = x.fma(gz, d8); e8 = x.fma(gy, e8);
            p += colStep;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        int i = partial + jb;
        d0.intoArray(partials, i); e0.intoArray(partials, i + LANES);
        d1.intoArray(partials, i + f); e1.intoArray(partials, i + f + LANES);
        d2.intoArray(partials, i + 2 * f); e2.intoArray(partials, i + 2 * f + LANES);
        d3.intoArray(partials, i + 3 * f); e3.intoArray(partials, i + 3 * f + LANES);
        d4.intoArray(partials, i + 4 * f); e4.intoArray(partials, i + 4 * f + LANES);
        d5.intoArray(partials, i + 5 * f); e5.intoArray(partials, i + 5 * f + LANES);
        d6.intoArray(partials, i + 6 * f); e6.intoArray(partials, i + 6 * f + LANES);
        d7.intoArray(partials, i + 7 * f); e7.intoArray(partials, i + 7 * f + LANES);
        d8.intoArray(partials, i + 8 * f); e8.intoArray(partials, i + 8 * f + LANES);
        db.intoArray(partials, i + 9 * f); eb.intoArray(partials, i + 9 * f + LANES);
    }

    /** {@link #backward9} for any patch size: the kernel-gradient accumulators in the slot's L1 scratch. */
    private void backwardAny(float[] src, int base, float[] out, float[] grad, int o, boolean relu, int penalty,
            float scale, int jb, float[] partials, int partial, int slot) {
        int n = f;
        FloatVector sc = FloatVector.broadcast(S, scale);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE), linear = S.maskAll(!relu);
        int m = patch;
        int[] t = taps;
        float[] dk = blockGrad[slot];
        Arrays.fill(dk, 0f);
        FloatVector db = FloatVector.zero(S);
        int outW = g.outW;
        int rowJump = pixelRowStep - outW * pixelColStep;
        // One loop over the pixels, as backward9's.
        for (int i = 0, ox = 0, p = base, pixels = g.pixels(); i < pixels; i++, o += n) {
            FloatVector gz = dz(grad, out, o, sc, penalized, square, linear);
            db = db.add(gz);
            for (int q = 0, d = 0; q < m; q++, d += LANES) {
                at(src, p + t[q]).fma(gz, FloatVector.fromArray(S, dk, d)).intoArray(dk, d);
            }
            p += pixelColStep;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        for (int q = 0; q < m; q++) {
            System.arraycopy(dk, q * LANES, partials, partial + q * f + jb, LANES);
        }
        db.intoArray(partials, partial + m * f + jb);
    }
}
