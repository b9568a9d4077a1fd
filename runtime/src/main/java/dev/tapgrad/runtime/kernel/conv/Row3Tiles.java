package dev.tapgrad.runtime.kernel.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ImplicitTiles} for kernels three taps wide, blocked over a kernel row: pixel q's taps
 * (ky, 0..2, channel) are the values of pixels q, q + 1, q + 2 at the row's offset r (pixels cs
 * apart), so one broadcast of pixel m's value feeds pixel m's tap 0, pixel m − 1's tap 1 and
 * pixel m − 2's tap 2. A tile of P pixels broadcasts P + 2 values per (ky,
 * channel) for 3·P multiply-adds per vector of filters, where one tap at a time needs a broadcast
 * for each: about three times fewer loads per FMA, so the FMA units rather than the load ports
 * bound the tile (the one-vector tile was load-bound at one load per FMA).
 *
 * <p>Sums: each pixel's accumulator takes the taps row by row, channel by channel, and taps 0, 1,
 * 2 within a (row, channel): a fixed order, not the one-tap tiles' (row, tap, channel) order.
 *
 * <p>{@link #finishedRows} computes a forward over whole output rows instead of virtual ones and
 * finishes each tile as it leaves the registers (bias, floor, the store into out, the penalty's
 * terms): no pass over a virtual result afterwards, and none of the virtual pixels between rows.
 */
final class Row3Tiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Row3Tiles() {}

    /**
     * dst (virtual pixels rounded up to {@link ImplicitTiles#R}, n) = the channels-last image at
     * {@code src[base …]} (pixels cs apart) times w: for each (ky, channel) pair t, taps 0..2 at
     * {@code src[base + rows[t] + (q + kx)·cs]} and their kernel rows at {@code w[wRows[t] + kx·wStep …]}.
     */
    static void products(float[] src, int base, ImplicitTiles.Taps t, float[] w, int virtual, float[] dst, int top,
            int bottom) {
        int cs = t.channels, n = t.n, wStep = t.wStep;
        int[] rows = t.rows, wRows = t.wRows;
        int jb = 0;
        for (; jb + 2 * L <= n; jb += 2 * L) {
            for (int q0 = 0; q0 < virtual; q0 += 8) {
                int from = firstTap(t, q0 + 7, top), to = endTap(t, q0, bottom);
                tile8x2k3(src, base + q0 * cs, cs, q0, rows, wRows, from, to, wStep, w, n, jb, dst);
            }
        }
        if (jb < n) {
            for (int q0 = 0; q0 < virtual; q0 += 16) {
                int from = firstTap(t, q0 + 15, top), to = endTap(t, q0, bottom);
                tile16x1k3(src, base + q0 * cs, cs, q0, rows, wRows, from, to, wStep, w, n, jb, dst);
            }
        }
    }

    /**
     * The first (row, channel) pair a tile needs: kernel rows ky with q_last's row + ky below
     * {@code top} read only zero rows for every pixel of the tile (its last pixel has the lowest
     * such row). The pairs run kernel row by kernel row, so the tile's are one range.
     */
    private static int firstTap(ImplicitTiles.Taps t, int qLast, int top) {
        return Math.min(t.kh, Math.max(0, top - qLast / t.rowWidth)) * t.channels;
    }

    /** The end of that range: kernel rows with q_first's row + ky past {@code bottom} read only zero rows. */
    private static int endTap(ImplicitTiles.Taps t, int qFirst, int bottom) {
        return Math.max(0, Math.min(t.kh, bottom - qFirst / t.rowWidth + 1)) * t.channels;
    }

    /**
     * One image's forward for filters a multiple of 2L: {@code out[o …]} (outH·outW pixels, n) =
     * {@code max(products + bias, floor)}, each output row in tiles of 8 pixels (its last ones
     * through {@code tail}, 8·n floats, then finished here), returning the image's Σ|out| or Σout²
     * with a {@code penalty} (0 without): per filter in float over a row's pixels in order (through
     * {@code row}, n floats), the rows in double (through {@code sums}), then the filters in order,
     * as VectorImageConv.finish sums them.
     */
    static double finishedRows(ImplicitTiles.Taps t, float[] src, int base, float[] w, int rowWidth, int outH,
            int outW, float[] bias, float floor, int penalty, float[] out, int o, float[] tail, float[] row,
            double[] sums) {
        int n = t.n, cs = t.channels;
        boolean penalized = penalty != DirectConv.NO_PENALTY;
        // the sums are written only with a penalty: the other threads' scratch may share their cache lines
        if (penalized) {
            Arrays.fill(sums, 0, n, 0);
        }
        for (int oy = 0; oy < outH; oy++) {
            if (penalized) {
                Arrays.fill(row, 0, n, 0f);
            }
            int ox = 0;
            for (; ox + 8 <= outW; ox += 8) {
                int start = base + (oy * rowWidth + ox) * cs, d = o + (oy * outW + ox) * n;
                for (int jb = 0; jb < n; jb += 2 * L) {
                    tile8x2k3Out(src, start, cs, t.rows, t.wRows, t.wStep, w, n, jb, bias, floor, penalty, out, d + jb,
                            row);
                }
            }
            if (ox < outW) {
                int start = base + (oy * rowWidth + ox) * cs;
                for (int jb = 0; jb < n; jb += 2 * L) {
                    tile8x2k3(src, start, cs, 0, t.rows, t.wRows, 0, t.rows.length, t.wStep, w, n, jb, tail);
                }
                finishTail(tail, outW - ox, n, bias, floor, penalized, penalty, out, o + (oy * outW + ox) * n, row);
            }
            if (penalized) {
                for (int j = 0; j < n; j++) {
                    sums[j] += row[j];
                }
            }
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += sums[j];
        }
        return s;
    }

    /** The first {@code pixels} of a row's last tile, computed into {@code tail}, finished into {@code out[d …]} and {@code row}. */
    private static void finishTail(float[] tail, int pixels, int n, float[] bias, float floor, boolean penalized,
            int penalty, float[] out, int d, float[] row) {
        FloatVector lo = FloatVector.broadcast(S, floor), one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        for (int jb = 0; jb < n; jb += L) {
            FloatVector b = FloatVector.fromArray(S, bias, jb), pen = FloatVector.fromArray(S, row, jb);
            for (int k = 0, i = jb; k < pixels; k++, i += n) {
                FloatVector v = FloatVector.fromArray(S, tail, i).add(b).max(lo);
                v.intoArray(out, d + i);
                FloatVector a = v.abs();
                pen = a.fma(one.blend(a, square), pen);
            }
            if (penalized) {
                pen.intoArray(row, jb);
            }
        }
    }

    /**
     * {@link #tile8x2k3} for 8 pixels of an output row, finished: {@code max(sum + bias, floor)}
     * stored at {@code out[d …]} (pixels n apart), and with a penalty each pixel's |v| or v² added
     * in pixel order to the row's running sums {@code row[jb …]}.
     */
    private static void tile8x2k3Out(float[] src, int start, int cs, int[] rows, int[] wRows, int wStep, float[] w,
            int n, int jb, float[] bias, float floor, int penalty, float[] out, int d, float[] row) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int t = 0, count = rows.length; t < count; t++) {
            int p = rows[t] + start, wi = wRows[t] + jb;
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector v0 = FloatVector.fromArray(S, w, wi + wStep), v1 = FloatVector.fromArray(S, w, wi + wStep + L);
            FloatVector z0 = FloatVector.fromArray(S, w, wi + 2 * wStep), z1 = FloatVector.fromArray(S, w, wi + 2 * wStep + L);
            FloatVector x = FloatVector.broadcast(S, src[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0);
            x = FloatVector.broadcast(S, src[p + 1 * cs]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1);
            a0 = x.fma(v0, a0); b0 = x.fma(v1, b0);
            x = FloatVector.broadcast(S, src[p + 2 * cs]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2);
            a1 = x.fma(v0, a1); b1 = x.fma(v1, b1); a0 = x.fma(z0, a0); b0 = x.fma(z1, b0);
            x = FloatVector.broadcast(S, src[p + 3 * cs]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3);
            a2 = x.fma(v0, a2); b2 = x.fma(v1, b2); a1 = x.fma(z0, a1); b1 = x.fma(z1, b1);
            x = FloatVector.broadcast(S, src[p + 4 * cs]); a4 = x.fma(u0, a4); b4 = x.fma(u1, b4);
            a3 = x.fma(v0, a3); b3 = x.fma(v1, b3); a2 = x.fma(z0, a2); b2 = x.fma(z1, b2);
            x = FloatVector.broadcast(S, src[p + 5 * cs]); a5 = x.fma(u0, a5); b5 = x.fma(u1, b5);
            a4 = x.fma(v0, a4); b4 = x.fma(v1, b4); a3 = x.fma(z0, a3); b3 = x.fma(z1, b3);
            x = FloatVector.broadcast(S, src[p + 6 * cs]); a6 = x.fma(u0, a6); b6 = x.fma(u1, b6);
            a5 = x.fma(v0, a5); b5 = x.fma(v1, b5); a4 = x.fma(z0, a4); b4 = x.fma(z1, b4);
            x = FloatVector.broadcast(S, src[p + 7 * cs]); a7 = x.fma(u0, a7); b7 = x.fma(u1, b7);
            a6 = x.fma(v0, a6); b6 = x.fma(v1, b6); a5 = x.fma(z0, a5); b5 = x.fma(z1, b5);
            x = FloatVector.broadcast(S, src[p + 8 * cs]); a7 = x.fma(v0, a7); b7 = x.fma(v1, b7);
            a6 = x.fma(z0, a6); b6 = x.fma(z1, b6);
            x = FloatVector.broadcast(S, src[p + 9 * cs]); a7 = x.fma(z0, a7); b7 = x.fma(z1, b7);
        }
        // The bias and floor only now: loaded before the loop they would hold two more registers through it.
        FloatVector ba = FloatVector.fromArray(S, bias, jb), bb = FloatVector.fromArray(S, bias, jb + L);
        FloatVector lo = FloatVector.broadcast(S, floor);
        a0 = a0.add(ba).max(lo); b0 = b0.add(bb).max(lo); a0.intoArray(out, d); b0.intoArray(out, d + L);
        a1 = a1.add(ba).max(lo); b1 = b1.add(bb).max(lo); a1.intoArray(out, d + n); b1.intoArray(out, d + n + L);
        a2 = a2.add(ba).max(lo); b2 = b2.add(bb).max(lo); a2.intoArray(out, d + 2 * n); b2.intoArray(out, d + 2 * n + L);
        a3 = a3.add(ba).max(lo); b3 = b3.add(bb).max(lo); a3.intoArray(out, d + 3 * n); b3.intoArray(out, d + 3 * n + L);
        a4 = a4.add(ba).max(lo); b4 = b4.add(bb).max(lo); a4.intoArray(out, d + 4 * n); b4.intoArray(out, d + 4 * n + L);
        a5 = a5.add(ba).max(lo); b5 = b5.add(bb).max(lo); a5.intoArray(out, d + 5 * n); b5.intoArray(out, d + 5 * n + L);
        a6 = a6.add(ba).max(lo); b6 = b6.add(bb).max(lo); a6.intoArray(out, d + 6 * n); b6.intoArray(out, d + 6 * n + L);
        a7 = a7.add(ba).max(lo); b7 = b7.add(bb).max(lo); a7.intoArray(out, d + 7 * n); b7.intoArray(out, d + 7 * n + L);
        if (penalty != DirectConv.NO_PENALTY) {
            penaltySums8x2(out, d, n, jb, penalty, row);
        }
    }

    /**
     * The penalty terms of the 8 pixels × 2·L filters {@link #tile8x2k3Out} has just stored at
     * {@code out[d …]} (pixels n apart), read back, added in pixel order to the row's sums
     * {@code row[jb …]}: |v| (ABS) or v² (SQUARE), the same floats as an fma of |v| by 1 or by |v|.
     * A method of its own: inside tile8x2k3Out they made about 130 Vector API operations in one
     * method, past the type checks C2 (JDK 17) emits per compilation ({@code PerMethodTrapLimit},
     * 100); past that budget the last vectors lost their exact type and their stores ran in the
     * API's boxed fallback, allocating megabytes a step, in some JVMs and not others
     * (VectorPathAllocationFreeStepTest found it).
     */
    private static void penaltySums8x2(float[] out, int d, int n, int jb, int penalty, float[] row) {
        FloatVector pa = FloatVector.fromArray(S, row, jb), pb = FloatVector.fromArray(S, row, jb + L);
        if (penalty == DirectConv.SQUARE) {
            for (int i = 0, at = d; i < 8; i++, at += n) {
                FloatVector u = FloatVector.fromArray(S, out, at), v = FloatVector.fromArray(S, out, at + L);
                pa = u.fma(u, pa);
                pb = v.fma(v, pb);
            }
        } else {
            for (int i = 0, at = d; i < 8; i++, at += n) {
                pa = FloatVector.fromArray(S, out, at).abs().add(pa);
                pb = FloatVector.fromArray(S, out, at + L).abs().add(pb);
            }
        }
        pa.intoArray(row, jb);
        pb.intoArray(row, jb + L);
    }

    private static void tile8x2k3(float[] src, int start, int cs, int q0, int[] rows, int[] wRows, int from, int to,
            int wStep, float[] w, int n, int jb, float[] dst) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int t = from; t < to; t++) {
            int p = rows[t] + start, wi = wRows[t] + jb;
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector v0 = FloatVector.fromArray(S, w, wi + wStep), v1 = FloatVector.fromArray(S, w, wi + wStep + L);
            FloatVector z0 = FloatVector.fromArray(S, w, wi + 2 * wStep), z1 = FloatVector.fromArray(S, w, wi + 2 * wStep + L);
            FloatVector x = FloatVector.broadcast(S, src[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0);
            x = FloatVector.broadcast(S, src[p + 1 * cs]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1);
            a0 = x.fma(v0, a0); b0 = x.fma(v1, b0);
            x = FloatVector.broadcast(S, src[p + 2 * cs]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2);
            a1 = x.fma(v0, a1); b1 = x.fma(v1, b1); a0 = x.fma(z0, a0); b0 = x.fma(z1, b0);
            x = FloatVector.broadcast(S, src[p + 3 * cs]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3);
            a2 = x.fma(v0, a2); b2 = x.fma(v1, b2); a1 = x.fma(z0, a1); b1 = x.fma(z1, b1);
            x = FloatVector.broadcast(S, src[p + 4 * cs]); a4 = x.fma(u0, a4); b4 = x.fma(u1, b4);
            a3 = x.fma(v0, a3); b3 = x.fma(v1, b3); a2 = x.fma(z0, a2); b2 = x.fma(z1, b2);
            x = FloatVector.broadcast(S, src[p + 5 * cs]); a5 = x.fma(u0, a5); b5 = x.fma(u1, b5);
            a4 = x.fma(v0, a4); b4 = x.fma(v1, b4); a3 = x.fma(z0, a3); b3 = x.fma(z1, b3);
            x = FloatVector.broadcast(S, src[p + 6 * cs]); a6 = x.fma(u0, a6); b6 = x.fma(u1, b6);
            a5 = x.fma(v0, a5); b5 = x.fma(v1, b5); a4 = x.fma(z0, a4); b4 = x.fma(z1, b4);
            x = FloatVector.broadcast(S, src[p + 7 * cs]); a7 = x.fma(u0, a7); b7 = x.fma(u1, b7);
            a6 = x.fma(v0, a6); b6 = x.fma(v1, b6); a5 = x.fma(z0, a5); b5 = x.fma(z1, b5);
            x = FloatVector.broadcast(S, src[p + 8 * cs]); a7 = x.fma(v0, a7); b7 = x.fma(v1, b7);
            a6 = x.fma(z0, a6); b6 = x.fma(z1, b6);
            x = FloatVector.broadcast(S, src[p + 9 * cs]); a7 = x.fma(z0, a7); b7 = x.fma(z1, b7);
        }
        int d = q0 * n + jb;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += n;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += n;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += n;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += n;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += n;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += n;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += n;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L);
    }

    private static void tile16x1k3(float[] src, int start, int cs, int q0, int[] rows, int[] wRows, int from, int to,
            int wStep, float[] w, int n, int jb, float[] dst) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int t = from; t < to; t++) {
            int p = rows[t] + start, wi = wRows[t] + jb;
            FloatVector u0 = FloatVector.fromArray(S, w, wi);
            FloatVector v0 = FloatVector.fromArray(S, w, wi + wStep);
            FloatVector z0 = FloatVector.fromArray(S, w, wi + 2 * wStep);
            FloatVector x = FloatVector.broadcast(S, src[p]); a0 = x.fma(u0, a0);
            x = FloatVector.broadcast(S, src[p + 1 * cs]); a1 = x.fma(u0, a1); a0 = x.fma(v0, a0);
            x = FloatVector.broadcast(S, src[p + 2 * cs]); a2 = x.fma(u0, a2); a1 = x.fma(v0, a1);
            a0 = x.fma(z0, a0);
            x = FloatVector.broadcast(S, src[p + 3 * cs]); a3 = x.fma(u0, a3); a2 = x.fma(v0, a2);
            a1 = x.fma(z0, a1);
            x = FloatVector.broadcast(S, src[p + 4 * cs]); a4 = x.fma(u0, a4); a3 = x.fma(v0, a3);
            a2 = x.fma(z0, a2);
            x = FloatVector.broadcast(S, src[p + 5 * cs]); a5 = x.fma(u0, a5); a4 = x.fma(v0, a4);
            a3 = x.fma(z0, a3);
            x = FloatVector.broadcast(S, src[p + 6 * cs]); a6 = x.fma(u0, a6); a5 = x.fma(v0, a5);
            a4 = x.fma(z0, a4);
            x = FloatVector.broadcast(S, src[p + 7 * cs]); a7 = x.fma(u0, a7); a6 = x.fma(v0, a6);
            a5 = x.fma(z0, a5);
            x = FloatVector.broadcast(S, src[p + 8 * cs]); a8 = x.fma(u0, a8); a7 = x.fma(v0, a7);
            a6 = x.fma(z0, a6);
            x = FloatVector.broadcast(S, src[p + 9 * cs]); a9 = x.fma(u0, a9); a8 = x.fma(v0, a8);
            a7 = x.fma(z0, a7);
            x = FloatVector.broadcast(S, src[p + 10 * cs]); a10 = x.fma(u0, a10); a9 = x.fma(v0, a9);
            a8 = x.fma(z0, a8);
            x = FloatVector.broadcast(S, src[p + 11 * cs]); a11 = x.fma(u0, a11); a10 = x.fma(v0, a10);
            a9 = x.fma(z0, a9);
            x = FloatVector.broadcast(S, src[p + 12 * cs]); a12 = x.fma(u0, a12); a11 = x.fma(v0, a11);
            a10 = x.fma(z0, a10);
            x = FloatVector.broadcast(S, src[p + 13 * cs]); a13 = x.fma(u0, a13); a12 = x.fma(v0, a12);
            a11 = x.fma(z0, a11);
            x = FloatVector.broadcast(S, src[p + 14 * cs]); a14 = x.fma(u0, a14); a13 = x.fma(v0, a13);
            a12 = x.fma(z0, a12);
            x = FloatVector.broadcast(S, src[p + 15 * cs]); a15 = x.fma(u0, a15); a14 = x.fma(v0, a14);
            a13 = x.fma(z0, a13);
            x = FloatVector.broadcast(S, src[p + 16 * cs]); a15 = x.fma(v0, a15); a14 = x.fma(z0, a14);
            x = FloatVector.broadcast(S, src[p + 17 * cs]); a15 = x.fma(z0, a15);
        }
        int d = q0 * n + jb;
        a0.intoArray(dst, d); d += n;
        a1.intoArray(dst, d); d += n;
        a2.intoArray(dst, d); d += n;
        a3.intoArray(dst, d); d += n;
        a4.intoArray(dst, d); d += n;
        a5.intoArray(dst, d); d += n;
        a6.intoArray(dst, d); d += n;
        a7.intoArray(dst, d); d += n;
        a8.intoArray(dst, d); d += n;
        a9.intoArray(dst, d); d += n;
        a10.intoArray(dst, d); d += n;
        a11.intoArray(dst, d); d += n;
        a12.intoArray(dst, d); d += n;
        a13.intoArray(dst, d); d += n;
        a14.intoArray(dst, d); d += n;
        a15.intoArray(dst, d);
    }
}
