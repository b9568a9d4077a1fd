package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorConv}'s forward pass for single blocks of filters over one channel with stride 1
 * (a CNN's first layer, e.g. 16 filters on 16 lanes), where its per-pixel loop broadcasts every
 * tap of every pixel: here 8 pixels of a row at a time, so that each broadcast image value feeds
 * the three pixels whose window row holds it. Loaded with VectorConv only. Vectors and broadcasts
 * are written out rather than through VectorConvBase's helpers: past C2's inlining budget a helper
 * stays a call and its vectors are boxed (three times slower than the per-pixel loop).
 */
final class VectorConvRows {
    private static final VectorSpecies<Float> S = VectorConvBase.S;
    private VectorConvRows() {}

    /** Whether {@link #forward9} computes this layer: 3×3 over one channel, stride 1, rows of 8 or more pixels. */
    static boolean suits(ConvGeometry g) {
        return g.patch == 9 && g.kernelW == 3 && g.channels == 1 && g.strideW == 1 && g.outW >= 8;
    }

    /**
     * VectorConv.forward9 for one channel and stride 1 (the first layer of a CNN), rows of at least 8
     * pixels: 8 pixels of a row at a time, so that each broadcast image value feeds the three
     * pixels whose window row holds it (10 broadcasts per kernel row for 24 multiply-adds, where
     * forward9 broadcasts each tap of each pixel). A row's last 8 pixels overlap the ones before
     * (the same sums, stored twice); the penalty's terms then go over the stored row in pixel order.
     * The same floats as forward9: bias, then the taps in patch order, per pixel.
     */
    static void forward9(VectorConvBase conv, float[] src, int base, float[] bias, float[] out, int o, float floor,
            int penalty, int jb, int slot) {
        ConvGeometry g = conv.g;
        int n = conv.f, outW = g.outW, rs = conv.rowStep, rowStep = conv.pixelRowStep;
        float[] w = conv.kernel;
        FloatVector k0 = FloatVector.fromArray(S, w, 0 * n + jb);
        FloatVector k1 = FloatVector.fromArray(S, w, 1 * n + jb);
        FloatVector k2 = FloatVector.fromArray(S, w, 2 * n + jb);
        FloatVector k3 = FloatVector.fromArray(S, w, 3 * n + jb);
        FloatVector k4 = FloatVector.fromArray(S, w, 4 * n + jb);
        FloatVector k5 = FloatVector.fromArray(S, w, 5 * n + jb);
        FloatVector k6 = FloatVector.fromArray(S, w, 6 * n + jb);
        FloatVector k7 = FloatVector.fromArray(S, w, 7 * n + jb);
        FloatVector k8 = FloatVector.fromArray(S, w, 8 * n + jb);
        FloatVector b = FloatVector.fromArray(S, bias, jb), lo = FloatVector.broadcast(S, floor);
        for (int oy = 0; oy < g.outH; oy++) {
            for (int ox0 = 0; ; ox0 += 8) {
                int ox = Math.min(ox0, outW - 8);
                int p = base + oy * rowStep + ox;
                int d = o + (oy * outW + ox) * n;
                FloatVector a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
                int r0 = p;
                FloatVector x = FloatVector.broadcast(S, src[r0]); a0 = x.fma(k0, a0);
                x = FloatVector.broadcast(S, src[r0 + 1]); a1 = x.fma(k0, a1); a0 = x.fma(k1, a0);
                x = FloatVector.broadcast(S, src[r0 + 2]); a2 = x.fma(k0, a2); a1 = x.fma(k1, a1); a0 = x.fma(k2, a0);
                x = FloatVector.broadcast(S, src[r0 + 3]); a3 = x.fma(k0, a3); a2 = x.fma(k1, a2); a1 = x.fma(k2, a1);
                x = FloatVector.broadcast(S, src[r0 + 4]); a4 = x.fma(k0, a4); a3 = x.fma(k1, a3); a2 = x.fma(k2, a2);
                x = FloatVector.broadcast(S, src[r0 + 5]); a5 = x.fma(k0, a5); a4 = x.fma(k1, a4); a3 = x.fma(k2, a3);
                x = FloatVector.broadcast(S, src[r0 + 6]); a6 = x.fma(k0, a6); a5 = x.fma(k1, a5); a4 = x.fma(k2, a4);
                x = FloatVector.broadcast(S, src[r0 + 7]); a7 = x.fma(k0, a7); a6 = x.fma(k1, a6); a5 = x.fma(k2, a5);
                x = FloatVector.broadcast(S, src[r0 + 8]); a7 = x.fma(k1, a7); a6 = x.fma(k2, a6);
                x = FloatVector.broadcast(S, src[r0 + 9]); a7 = x.fma(k2, a7);
                int r1 = p + rs;
                x = FloatVector.broadcast(S, src[r1]); a0 = x.fma(k3, a0);
                x = FloatVector.broadcast(S, src[r1 + 1]); a1 = x.fma(k3, a1); a0 = x.fma(k4, a0);
                x = FloatVector.broadcast(S, src[r1 + 2]); a2 = x.fma(k3, a2); a1 = x.fma(k4, a1); a0 = x.fma(k5, a0);
                x = FloatVector.broadcast(S, src[r1 + 3]); a3 = x.fma(k3, a3); a2 = x.fma(k4, a2); a1 = x.fma(k5, a1);
                x = FloatVector.broadcast(S, src[r1 + 4]); a4 = x.fma(k3, a4); a3 = x.fma(k4, a3); a2 = x.fma(k5, a2);
                x = FloatVector.broadcast(S, src[r1 + 5]); a5 = x.fma(k3, a5); a4 = x.fma(k4, a4); a3 = x.fma(k5, a3);
                x = FloatVector.broadcast(S, src[r1 + 6]); a6 = x.fma(k3, a6); a5 = x.fma(k4, a5); a4 = x.fma(k5, a4);
                x = FloatVector.broadcast(S, src[r1 + 7]); a7 = x.fma(k3, a7); a6 = x.fma(k4, a6); a5 = x.fma(k5, a5);
                x = FloatVector.broadcast(S, src[r1 + 8]); a7 = x.fma(k4, a7); a6 = x.fma(k5, a6);
                x = FloatVector.broadcast(S, src[r1 + 9]); a7 = x.fma(k5, a7);
                int r2 = p + 2 * rs;
                x = FloatVector.broadcast(S, src[r2]); a0 = x.fma(k6, a0);
                x = FloatVector.broadcast(S, src[r2 + 1]); a1 = x.fma(k6, a1); a0 = x.fma(k7, a0);
                x = FloatVector.broadcast(S, src[r2 + 2]); a2 = x.fma(k6, a2); a1 = x.fma(k7, a1); a0 = x.fma(k8, a0);
                x = FloatVector.broadcast(S, src[r2 + 3]); a3 = x.fma(k6, a3); a2 = x.fma(k7, a2); a1 = x.fma(k8, a1);
                x = FloatVector.broadcast(S, src[r2 + 4]); a4 = x.fma(k6, a4); a3 = x.fma(k7, a3); a2 = x.fma(k8, a2);
                x = FloatVector.broadcast(S, src[r2 + 5]); a5 = x.fma(k6, a5); a4 = x.fma(k7, a4); a3 = x.fma(k8, a3);
                x = FloatVector.broadcast(S, src[r2 + 6]); a6 = x.fma(k6, a6); a5 = x.fma(k7, a5); a4 = x.fma(k8, a4);
                x = FloatVector.broadcast(S, src[r2 + 7]); a7 = x.fma(k6, a7); a6 = x.fma(k7, a6); a5 = x.fma(k8, a5);
                x = FloatVector.broadcast(S, src[r2 + 8]); a7 = x.fma(k7, a7); a6 = x.fma(k8, a6);
                x = FloatVector.broadcast(S, src[r2 + 9]); a7 = x.fma(k8, a7);
                a0.max(lo).intoArray(out, d);
                a1.max(lo).intoArray(out, d + 1 * n);
                a2.max(lo).intoArray(out, d + 2 * n);
                a3.max(lo).intoArray(out, d + 3 * n);
                a4.max(lo).intoArray(out, d + 4 * n);
                a5.max(lo).intoArray(out, d + 5 * n);
                a6.max(lo).intoArray(out, d + 6 * n);
                a7.max(lo).intoArray(out, d + 7 * n);
                if (ox == outW - 8) {
                    break;
                }
            }
        }
        if (penalty != DirectConv.NO_PENALTY) {
            rowPenalties(conv, out, o, penalty, slot);
        }
    }

    /**
     * Each output row's penalty lanes over the stored block at {@code out[o …]}, in pixel order, into
     * the slot's running sums: the terms VectorConvBase.store sums while it stores.
     */
    private static void rowPenalties(VectorConvBase conv, float[] out, int o, int penalty, int slot) {
        ConvGeometry g = conv.g;
        int n = conv.f;
        FloatVector one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        for (int oy = 0, d = o; oy < g.outH; oy++) {
            FloatVector pen = FloatVector.zero(S);
            for (int ox = 0; ox < g.outW; ox++, d += n) {
                FloatVector abs = FloatVector.fromArray(S, out, d).abs();
                pen = abs.fma(one.blend(abs, square), pen);
            }
            pen.intoArray(conv.rowLanes[slot], 0);
            conv.addRow(slot);
        }
    }
}
