package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorImageConv}'s kernel-gradient tiles: the kw·channels taps of one kernel row are
 * contiguous in the channels-last image, so a tile of 8 taps × 2 vectors of filters sums tap
 * value · dL/dz over an image's pixels in order with one index and constant offsets.
 *
 * <p>{@link #grad8x2dz} is the tile that also computes dL/dz: relu's mask and the output
 * penalty's gradient from dL/dout and out, written to the image's dL/dz (and back into dL/dout)
 * and summed for the bias, while its FMAs run. dL/dout and out come from memory (megabytes per
 * batch), and a pass of their own over them (VectorImageConv.dz) waited on those reads with
 * little else to do; here the first tile of each vector pair hides them behind its multiply-adds.
 * The same floats as the pass: dL/dz per value as VectorConv computes it, the bias sums over the
 * pixels in order.
 */
final class GradTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GradTiles() {}

    /**
     * One image's sizes as the tiles walk it: pixels, filters, channels, output row width, image
     * row step; where dL/dz lies, (pixels, filters) from {@code dzStart} with {@code dzJump} more
     * values after each output row (0 and 0 for a dense image, or the zero-bordered copy that
     * VectorImageConv's dL/dx reads).
     */
    record Walk(int pixels, int f, int c, int outW, int rowStep, int dzStart, int dzJump) {}

    /**
     * Kernel-gradient rows of 8 consecutive taps (the channels-last image at {@code tap} for the
     * first pixel) × filters [jb, jb + 2L): Σ over the pixels in order of tap value · dL/dz, into
     * {@code dst[d …]} with row stride filters.
     */
    static void grad8x2(Walk w, float[] src, int tap, float[] dz, int jb, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        int n = w.f(), step = w.c(), outW = w.outW(), rowJump = w.rowStep() - outW * step, pixels = w.pixels();
        int dzJump = w.dzJump();
        for (int q = 0, ox = 0, p = tap, o = w.dzStart() + jb; q < pixels; q++, o += n) {
            FloatVector g0 = FloatVector.fromArray(S, dz, o), g1 = FloatVector.fromArray(S, dz, o + L);
            FloatVector x = FloatVector.broadcast(S, src[p]); a0 = x.fma(g0, a0); b0 = x.fma(g1, b0);
            x = FloatVector.broadcast(S, src[p + 1]); a1 = x.fma(g0, a1); b1 = x.fma(g1, b1);
            x = FloatVector.broadcast(S, src[p + 2]); a2 = x.fma(g0, a2); b2 = x.fma(g1, b2);
            x = FloatVector.broadcast(S, src[p + 3]); a3 = x.fma(g0, a3); b3 = x.fma(g1, b3);
            x = FloatVector.broadcast(S, src[p + 4]); a4 = x.fma(g0, a4); b4 = x.fma(g1, b4);
            x = FloatVector.broadcast(S, src[p + 5]); a5 = x.fma(g0, a5); b5 = x.fma(g1, b5);
            x = FloatVector.broadcast(S, src[p + 6]); a6 = x.fma(g0, a6); b6 = x.fma(g1, b6);
            x = FloatVector.broadcast(S, src[p + 7]); a7 = x.fma(g0, a7); b7 = x.fma(g1, b7);
            p += step;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
                o += dzJump;
            }
        }
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += n;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += n;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += n;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += n;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += n;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += n;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += n;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L);
    }

    /**
     * {@link #grad8x2} whose dL/dz it computes first, per pixel, from dL/dout {@code grad[at …]} and
     * {@code out[at …]} (the image's (pixels, filters) block): with {@code relu} masked by out > 0,
     * the penalty's gradient added before ({@code scale} for ABS, {@code 2·out·scale} for SQUARE);
     * written to {@code dz} (laid out as the walk says) and back to grad, and summed over the pixels in order into
     * {@code db[jb … jb + 2L)}. The masks are loop invariants, not branches (a vector that is a phi
     * of two branches stays boxed in C2 on JDK 17).
     */
    static void grad8x2dz(Walk w, float[] src, int tap, float[] out, float[] grad, int at, float[] dz, int jb,
            float[] db, boolean relu, int penalty, float scale, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        FloatVector s0 = a0, s1 = a0, zero = a0, sc = FloatVector.broadcast(S, scale);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE), linear = S.maskAll(!relu);
        int n = w.f(), step = w.c(), outW = w.outW(), rowJump = w.rowStep() - outW * step, pixels = w.pixels();
        int dzJump = w.dzJump();
        for (int q = 0, ox = 0, p = tap, i = jb, o = w.dzStart() + jb; q < pixels; q++, i += n, o += n) {
            FloatVector g0 = FloatVector.fromArray(S, grad, at + i), y0 = FloatVector.fromArray(S, out, at + i);
            FloatVector g1 = FloatVector.fromArray(S, grad, at + i + L), y1 = FloatVector.fromArray(S, out, at + i + L);
            g0 = g0.blend(g0.add(sc.blend(y0.add(y0).mul(sc), square)), penalized);
            g1 = g1.blend(g1.add(sc.blend(y1.add(y1).mul(sc), square)), penalized);
            g0 = zero.blend(g0, y0.compare(VectorOperators.GT, 0f).or(linear));
            g1 = zero.blend(g1, y1.compare(VectorOperators.GT, 0f).or(linear));
            g0.intoArray(grad, at + i);
            g1.intoArray(grad, at + i + L);
            g0.intoArray(dz, o);
            g1.intoArray(dz, o + L);
            s0 = s0.add(g0);
            s1 = s1.add(g1);
            FloatVector x = FloatVector.broadcast(S, src[p]); a0 = x.fma(g0, a0); b0 = x.fma(g1, b0);
            x = FloatVector.broadcast(S, src[p + 1]); a1 = x.fma(g0, a1); b1 = x.fma(g1, b1);
            x = FloatVector.broadcast(S, src[p + 2]); a2 = x.fma(g0, a2); b2 = x.fma(g1, b2);
            x = FloatVector.broadcast(S, src[p + 3]); a3 = x.fma(g0, a3); b3 = x.fma(g1, b3);
            x = FloatVector.broadcast(S, src[p + 4]); a4 = x.fma(g0, a4); b4 = x.fma(g1, b4);
            x = FloatVector.broadcast(S, src[p + 5]); a5 = x.fma(g0, a5); b5 = x.fma(g1, b5);
            x = FloatVector.broadcast(S, src[p + 6]); a6 = x.fma(g0, a6); b6 = x.fma(g1, b6);
            x = FloatVector.broadcast(S, src[p + 7]); a7 = x.fma(g0, a7); b7 = x.fma(g1, b7);
            p += step;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
                o += dzJump;
            }
        }
        s0.intoArray(db, jb);
        s1.intoArray(db, jb + L);
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += n;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += n;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += n;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += n;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += n;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += n;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += n;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L);
    }

    /** {@link #grad8x2} for one vector of filters. */
    static void grad8x1(Walk w, float[] src, int tap, float[] dz, int jb, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int n = w.f(), step = w.c(), outW = w.outW(), rowJump = w.rowStep() - outW * step, pixels = w.pixels();
        int dzJump = w.dzJump();
        for (int q = 0, ox = 0, p = tap, o = w.dzStart() + jb; q < pixels; q++, o += n) {
            FloatVector g0 = FloatVector.fromArray(S, dz, o);
            a0 = FloatVector.broadcast(S, src[p]).fma(g0, a0);
            a1 = FloatVector.broadcast(S, src[p + 1]).fma(g0, a1);
            a2 = FloatVector.broadcast(S, src[p + 2]).fma(g0, a2);
            a3 = FloatVector.broadcast(S, src[p + 3]).fma(g0, a3);
            a4 = FloatVector.broadcast(S, src[p + 4]).fma(g0, a4);
            a5 = FloatVector.broadcast(S, src[p + 5]).fma(g0, a5);
            a6 = FloatVector.broadcast(S, src[p + 6]).fma(g0, a6);
            a7 = FloatVector.broadcast(S, src[p + 7]).fma(g0, a7);
            p += step;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
                o += dzJump;
            }
        }
        a0.intoArray(dst, d); d += n;
        a1.intoArray(dst, d); d += n;
        a2.intoArray(dst, d); d += n;
        a3.intoArray(dst, d); d += n;
        a4.intoArray(dst, d); d += n;
        a5.intoArray(dst, d); d += n;
        a6.intoArray(dst, d); d += n;
        a7.intoArray(dst, d);
    }

    /** {@link #grad8x2} for one tap and one vector of filters (a kernel row's last kw·channels mod 8 taps). */
    static void grad1x1(Walk w, float[] src, int tap, float[] dz, int jb, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S);
        int n = w.f(), step = w.c(), outW = w.outW(), rowJump = w.rowStep() - outW * step, pixels = w.pixels();
        int dzJump = w.dzJump();
        for (int q = 0, ox = 0, p = tap, o = w.dzStart() + jb; q < pixels; q++, o += n) {
            a0 = FloatVector.broadcast(S, src[p]).fma(FloatVector.fromArray(S, dz, o), a0);
            p += step;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
                o += dzJump;
            }
        }
        a0.intoArray(dst, d);
    }
}
