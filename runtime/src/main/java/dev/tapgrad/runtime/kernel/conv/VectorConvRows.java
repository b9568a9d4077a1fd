package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorConv}'s forward pass for single blocks of filters over one channel with stride 1
 * (a CNN's first layer, e.g. 16 filters on 16 lanes), where its per-pixel loop broadcasts every
 * tap of every pixel: here 4 pixels of a row at a time, so that each broadcast image value feeds
 * the pixels whose window row holds it. Loaded with VectorConv only. Vectors and broadcasts
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
     * pixels: 4 pixels of a row at a time, so that each broadcast image value feeds the pixels whose
     * window row holds it (6 broadcasts per kernel row for 12 multiply-adds, where forward9 broadcasts
     * each tap of each pixel). A row's last 4 pixels overlap the ones before (the same sums, stored
     * twice); the penalty's terms then go over the stored row in pixel order. The same floats as
     * forward9: bias, then the taps in patch order, per pixel.
     *
     * <p>Four pixels, not eight: eight held 80 vector operations in one method, and C2 (JDK 17) emits
     * at most {@code PerMethodTrapLimit} (100) type checks per compilation, about one or two per
     * Vector API call here; past that budget the last vectors lost their exact type and their
     * {@code max} and stores ran in the API's boxed fallback, allocating megabytes a step, in some
     * JVMs and not others (VectorPathAllocationFreeStepTest found it).
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
            for (int ox0 = 0; ; ox0 += 4) {
                int ox = Math.min(ox0, outW - 4);
                int p = base + oy * rowStep + ox;
                int d = o + (oy * outW + ox) * n;
                FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
                int r0 = p;
                FloatVector x = FloatVector.broadcast(S, src[r0]); a0 = x.fma(k0, a0);
                x = FloatVector.broadcast(S, src[r0 + 1]); a1 = x.fma(k0, a1); a0 = x.fma(k1, a0);
                x = FloatVector.broadcast(S, src[r0 + 2]); a2 = x.fma(k0, a2); a1 = x.fma(k1, a1); a0 = x.fma(k2, a0);
                x = FloatVector.broadcast(S, src[r0 + 3]); a3 = x.fma(k0, a3); a2 = x.fma(k1, a2); a1 = x.fma(k2, a1);
                x = FloatVector.broadcast(S, src[r0 + 4]); a3 = x.fma(k1, a3); a2 = x.fma(k2, a2);
                x = FloatVector.broadcast(S, src[r0 + 5]); a3 = x.fma(k2, a3);
                int r1 = p + rs;
                x = FloatVector.broadcast(S, src[r1]); a0 = x.fma(k3, a0);
                x = FloatVector.broadcast(S, src[r1 + 1]); a1 = x.fma(k3, a1); a0 = x.fma(k4, a0);
                x = FloatVector.broadcast(S, src[r1 + 2]); a2 = x.fma(k3, a2); a1 = x.fma(k4, a1); a0 = x.fma(k5, a0);
                x = FloatVector.broadcast(S, src[r1 + 3]); a3 = x.fma(k3, a3); a2 = x.fma(k4, a2); a1 = x.fma(k5, a1);
                x = FloatVector.broadcast(S, src[r1 + 4]); a3 = x.fma(k4, a3); a2 = x.fma(k5, a2);
                x = FloatVector.broadcast(S, src[r1 + 5]); a3 = x.fma(k5, a3);
                int r2 = p + 2 * rs;
                x = FloatVector.broadcast(S, src[r2]); a0 = x.fma(k6, a0);
                x = FloatVector.broadcast(S, src[r2 + 1]); a1 = x.fma(k6, a1); a0 = x.fma(k7, a0);
                x = FloatVector.broadcast(S, src[r2 + 2]); a2 = x.fma(k6, a2); a1 = x.fma(k7, a1); a0 = x.fma(k8, a0);
                x = FloatVector.broadcast(S, src[r2 + 3]); a3 = x.fma(k6, a3); a2 = x.fma(k7, a2); a1 = x.fma(k8, a1);
                x = FloatVector.broadcast(S, src[r2 + 4]); a3 = x.fma(k7, a3); a2 = x.fma(k8, a2);
                x = FloatVector.broadcast(S, src[r2 + 5]); a3 = x.fma(k8, a3);
                a0.max(lo).intoArray(out, d);
                a1.max(lo).intoArray(out, d + 1 * n);
                a2.max(lo).intoArray(out, d + 2 * n);
                a3.max(lo).intoArray(out, d + 3 * n);
                if (ox == outW - 4) {
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
