package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Winograd}'s three stages on the Vector API, vectorised along the channels-last layout's
 * channels and filters: a tile's 4×4 inputs are 16 vectors of channels, transformed in registers;
 * the 16 products are register tiles of 12, 8 or 4 tiles × 2 vectors of filters (or 16 tiles × 1)
 * summing over the channels, each broadcast input value feeding two vectors (with one vector every
 * multiply-add needs a broadcast of its own, and this machine's broadcasts then bound the tile at
 * half the FMA rate: bench/README.md, 2026-12-08); the output transform reads a
 * tile's 16 product vectors of filters and writes its 2×2 pixels. Loaded with VectorImageConv only,
 * where {@code jdk.incubator.vector} is present. The same sums as the portable stages: each stage's
 * additions in the same order, and the products over the channels in order by fused multiply-adds
 * (the portable loop may round the products separately where C2 does not fuse them).
 */
class VectorWinograd extends Winograd {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    VectorWinograd(int channels, int filters, int height, int width, int padTop, int padLeft, int outH, int outW,
            int slots) {
        this(2, channels, filters, height, width, padTop, padLeft, outH, outW, slots);
    }

    /** With tiles of {@code tile} × {@code tile} outputs ({@link VectorWinograd4} for 4). */
    VectorWinograd(int tile, int channels, int filters, int height, int width, int padTop, int padLeft, int outH,
            int outW, int slots) {
        super(tile, channels, filters, height, width, padTop, padLeft, outH, outW, slots);
        if (channels % L != 0 || filters % L != 0) {
            throw new IllegalArgumentException("VectorWinograd: channels and filters must be multiples of " + L);
        }
    }

    @Override
    void inputTransform(float[] src, int base, int rowPixels, int t0, int n, float[] ub) {
        int cc = c, rs = rowPixels * cc, plane = uPlane, across = tw;
        for (int tl = 0; tl < n; tl++) {
            int t = t0 + tl;
            int p0 = base + (2 * (t / across) * rowPixels + 2 * (t % across)) * cc;
            for (int cb = 0; cb < cc; cb += L) {
                int p = p0 + cb, d = tl * cc + cb;
                // Bᵀ d, column by column (rows p, p + rs, …)
                FloatVector x0 = FloatVector.fromArray(S, src, p), x1 = FloatVector.fromArray(S, src, p + rs);
                FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * rs), x3 = FloatVector.fromArray(S, src, p + 3 * rs);
                FloatVector t00 = x0.sub(x2), t10 = x1.add(x2), t20 = x2.sub(x1), t30 = x1.sub(x3);
                p += cc;
                x0 = FloatVector.fromArray(S, src, p); x1 = FloatVector.fromArray(S, src, p + rs);
                x2 = FloatVector.fromArray(S, src, p + 2 * rs); x3 = FloatVector.fromArray(S, src, p + 3 * rs);
                FloatVector t01 = x0.sub(x2), t11 = x1.add(x2), t21 = x2.sub(x1), t31 = x1.sub(x3);
                p += cc;
                x0 = FloatVector.fromArray(S, src, p); x1 = FloatVector.fromArray(S, src, p + rs);
                x2 = FloatVector.fromArray(S, src, p + 2 * rs); x3 = FloatVector.fromArray(S, src, p + 3 * rs);
                FloatVector t02 = x0.sub(x2), t12 = x1.add(x2), t22 = x2.sub(x1), t32 = x1.sub(x3);
                p += cc;
                x0 = FloatVector.fromArray(S, src, p); x1 = FloatVector.fromArray(S, src, p + rs);
                x2 = FloatVector.fromArray(S, src, p + 2 * rs); x3 = FloatVector.fromArray(S, src, p + 3 * rs);
                FloatVector t03 = x0.sub(x2), t13 = x1.add(x2), t23 = x2.sub(x1), t33 = x1.sub(x3);
                // then · B, row by row, into ξ = 4i + j
                t00.sub(t02).intoArray(ub, d); t01.add(t02).intoArray(ub, d + plane);
                t02.sub(t01).intoArray(ub, d + 2 * plane); t01.sub(t03).intoArray(ub, d + 3 * plane);
                d += 4 * plane;
                t10.sub(t12).intoArray(ub, d); t11.add(t12).intoArray(ub, d + plane);
                t12.sub(t11).intoArray(ub, d + 2 * plane); t11.sub(t13).intoArray(ub, d + 3 * plane);
                d += 4 * plane;
                t20.sub(t22).intoArray(ub, d); t21.add(t22).intoArray(ub, d + plane);
                t22.sub(t21).intoArray(ub, d + 2 * plane); t21.sub(t23).intoArray(ub, d + 3 * plane);
                d += 4 * plane;
                t30.sub(t32).intoArray(ub, d); t31.add(t32).intoArray(ub, d + plane);
                t32.sub(t31).intoArray(ub, d + 2 * plane); t31.sub(t33).intoArray(ub, d + 3 * plane);
            }
        }
    }

    /** The ξ products, shared by both tile sizes: per ξ, register tiles over the block's tiles and the filters. */
    @Override
    final void products(float[] ub, int n, float[] mb) {
        int kk = k, cc = c;
        for (int xi = 0, count = xis; xi < count; xi++) {
            int a = xi * uPlane, o = xi * mPlane, vi = xi * vPlane;
            int jb = 0;
            for (; jb + 2 * L <= kk; jb += 2 * L) {
                // 12 tiles at a time, then 8, then 4s (the last rounded up: at most 3 rows past n, inside the
                // block); 12 only with AVX-512's 32 registers (its 24 accumulators would spill AVX2's 16)
                int tl = 0;
                for (; L >= 16 && tl + 12 <= n; tl += 12) {
                    tile12x2(ub, a + tl * cc, cc, v, vi + jb, kk, mb, o + tl * kk + jb);
                }
                for (; tl + 8 <= n; tl += 8) {
                    tile8x2(ub, a + tl * cc, cc, v, vi + jb, kk, mb, o + tl * kk + jb);
                }
                for (; tl < n; tl += 4) {
                    tile4x2(ub, a + tl * cc, cc, v, vi + jb, kk, mb, o + tl * kk + jb);
                }
            }
            if (jb < kk) {
                for (int tl = 0; tl < n; tl += 16) {
                    tile16x1(ub, a + tl * cc, cc, v, vi + jb, kk, mb, o + tl * kk + jb);
                }
            }
        }
    }

    /** 8 tiles' rows of ub at {@code a} (cc apart) times the kernel's vectors at {@code w[wi …]} (kk apart), into dst at {@code d}. */
    private static void tile8x2(float[] ub, int a, int cc, float[] w, int wi, int kk, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int ch = 0; ch < cc; ch++, wi += kk) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            int p = a + ch;
            FloatVector x = FloatVector.broadcast(S, ub[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0);
            x = FloatVector.broadcast(S, ub[p + cc]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1);
            x = FloatVector.broadcast(S, ub[p + 2 * cc]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2);
            x = FloatVector.broadcast(S, ub[p + 3 * cc]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3);
            x = FloatVector.broadcast(S, ub[p + 4 * cc]); a4 = x.fma(u0, a4); b4 = x.fma(u1, b4);
            x = FloatVector.broadcast(S, ub[p + 5 * cc]); a5 = x.fma(u0, a5); b5 = x.fma(u1, b5);
            x = FloatVector.broadcast(S, ub[p + 6 * cc]); a6 = x.fma(u0, a6); b6 = x.fma(u1, b6);
            x = FloatVector.broadcast(S, ub[p + 7 * cc]); a7 = x.fma(u0, a7); b7 = x.fma(u1, b7);
        }
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += kk;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += kk;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += kk;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += kk;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += kk;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += kk;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += kk;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L);
    }

    /** {@link #tile8x2} for 12 tiles: two vectors of filters per broadcast as there, 24 accumulators. */
    private static void tile12x2(float[] ub, int a, int cc, float[] w, int wi, int kk, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        FloatVector b8 = a0, b9 = a0, b10 = a0, b11 = a0;
        for (int ch = 0; ch < cc; ch++, wi += kk) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            int p = a + ch;
            FloatVector x = FloatVector.broadcast(S, ub[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0);
            x = FloatVector.broadcast(S, ub[p + cc]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1);
            x = FloatVector.broadcast(S, ub[p + 2 * cc]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2);
            x = FloatVector.broadcast(S, ub[p + 3 * cc]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3);
            x = FloatVector.broadcast(S, ub[p + 4 * cc]); a4 = x.fma(u0, a4); b4 = x.fma(u1, b4);
            x = FloatVector.broadcast(S, ub[p + 5 * cc]); a5 = x.fma(u0, a5); b5 = x.fma(u1, b5);
            x = FloatVector.broadcast(S, ub[p + 6 * cc]); a6 = x.fma(u0, a6); b6 = x.fma(u1, b6);
            x = FloatVector.broadcast(S, ub[p + 7 * cc]); a7 = x.fma(u0, a7); b7 = x.fma(u1, b7);
            x = FloatVector.broadcast(S, ub[p + 8 * cc]); a8 = x.fma(u0, a8); b8 = x.fma(u1, b8);
            x = FloatVector.broadcast(S, ub[p + 9 * cc]); a9 = x.fma(u0, a9); b9 = x.fma(u1, b9);
            x = FloatVector.broadcast(S, ub[p + 10 * cc]); a10 = x.fma(u0, a10); b10 = x.fma(u1, b10);
            x = FloatVector.broadcast(S, ub[p + 11 * cc]); a11 = x.fma(u0, a11); b11 = x.fma(u1, b11);
        }
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += kk;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += kk;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += kk;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += kk;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += kk;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += kk;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += kk;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L); d += kk;
        a8.intoArray(dst, d); b8.intoArray(dst, d + L); d += kk;
        a9.intoArray(dst, d); b9.intoArray(dst, d + L); d += kk;
        a10.intoArray(dst, d); b10.intoArray(dst, d + L); d += kk;
        a11.intoArray(dst, d); b11.intoArray(dst, d + L);
    }

    /** {@link #tile8x2} for 4 tiles (a block's last ones). */
    private static void tile4x2(float[] ub, int a, int cc, float[] w, int wi, int kk, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int ch = 0; ch < cc; ch++, wi += kk) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            int p = a + ch;
            FloatVector x = FloatVector.broadcast(S, ub[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0);
            x = FloatVector.broadcast(S, ub[p + cc]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1);
            x = FloatVector.broadcast(S, ub[p + 2 * cc]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2);
            x = FloatVector.broadcast(S, ub[p + 3 * cc]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3);
        }
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += kk;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += kk;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += kk;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L);
    }

    /** {@link #tile8x2} for 16 tiles and one vector of filters. */
    private static void tile16x1(float[] ub, int a, int cc, float[] w, int wi, int kk, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int ch = 0; ch < cc; ch++, wi += kk) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi);
            int p = a + ch;
            a0 = FloatVector.broadcast(S, ub[p]).fma(u0, a0);
            a1 = FloatVector.broadcast(S, ub[p + cc]).fma(u0, a1);
            a2 = FloatVector.broadcast(S, ub[p + 2 * cc]).fma(u0, a2);
            a3 = FloatVector.broadcast(S, ub[p + 3 * cc]).fma(u0, a3);
            a4 = FloatVector.broadcast(S, ub[p + 4 * cc]).fma(u0, a4);
            a5 = FloatVector.broadcast(S, ub[p + 5 * cc]).fma(u0, a5);
            a6 = FloatVector.broadcast(S, ub[p + 6 * cc]).fma(u0, a6);
            a7 = FloatVector.broadcast(S, ub[p + 7 * cc]).fma(u0, a7);
            a8 = FloatVector.broadcast(S, ub[p + 8 * cc]).fma(u0, a8);
            a9 = FloatVector.broadcast(S, ub[p + 9 * cc]).fma(u0, a9);
            a10 = FloatVector.broadcast(S, ub[p + 10 * cc]).fma(u0, a10);
            a11 = FloatVector.broadcast(S, ub[p + 11 * cc]).fma(u0, a11);
            a12 = FloatVector.broadcast(S, ub[p + 12 * cc]).fma(u0, a12);
            a13 = FloatVector.broadcast(S, ub[p + 13 * cc]).fma(u0, a13);
            a14 = FloatVector.broadcast(S, ub[p + 14 * cc]).fma(u0, a14);
            a15 = FloatVector.broadcast(S, ub[p + 15 * cc]).fma(u0, a15);
        }
        a0.intoArray(dst, d); d += kk;
        a1.intoArray(dst, d); d += kk;
        a2.intoArray(dst, d); d += kk;
        a3.intoArray(dst, d); d += kk;
        a4.intoArray(dst, d); d += kk;
        a5.intoArray(dst, d); d += kk;
        a6.intoArray(dst, d); d += kk;
        a7.intoArray(dst, d); d += kk;
        a8.intoArray(dst, d); d += kk;
        a9.intoArray(dst, d); d += kk;
        a10.intoArray(dst, d); d += kk;
        a11.intoArray(dst, d); d += kk;
        a12.intoArray(dst, d); d += kk;
        a13.intoArray(dst, d); d += kk;
        a14.intoArray(dst, d); d += kk;
        a15.intoArray(dst, d);
    }

    @Override
    void outputTransform(float[] mb, int t0, int n, float[] res) {
        int kk = k, plane = mPlane, rw = 2 * tw * kk, across = tw;
        for (int tl = 0; tl < n; tl++) {
            int t = t0 + tl;
            int o0 = (2 * (t / across) * 2 * across + 2 * (t % across)) * kk;
            for (int jb = 0; jb < kk; jb += L) {
                int q = tl * kk + jb, o = o0 + jb;
                // Aᵀ m along the rows (ξ = 4i + j), column by column
                FloatVector m0 = FloatVector.fromArray(S, mb, q), m1 = FloatVector.fromArray(S, mb, q + 4 * plane);
                FloatVector m2 = FloatVector.fromArray(S, mb, q + 8 * plane), m3 = FloatVector.fromArray(S, mb, q + 12 * plane);
                FloatVector s00 = m0.add(m1).add(m2), s10 = m1.sub(m2).sub(m3);
                q += plane;
                m0 = FloatVector.fromArray(S, mb, q); m1 = FloatVector.fromArray(S, mb, q + 4 * plane);
                m2 = FloatVector.fromArray(S, mb, q + 8 * plane); m3 = FloatVector.fromArray(S, mb, q + 12 * plane);
                FloatVector s01 = m0.add(m1).add(m2), s11 = m1.sub(m2).sub(m3);
                q += plane;
                m0 = FloatVector.fromArray(S, mb, q); m1 = FloatVector.fromArray(S, mb, q + 4 * plane);
                m2 = FloatVector.fromArray(S, mb, q + 8 * plane); m3 = FloatVector.fromArray(S, mb, q + 12 * plane);
                FloatVector s02 = m0.add(m1).add(m2), s12 = m1.sub(m2).sub(m3);
                q += plane;
                m0 = FloatVector.fromArray(S, mb, q); m1 = FloatVector.fromArray(S, mb, q + 4 * plane);
                m2 = FloatVector.fromArray(S, mb, q + 8 * plane); m3 = FloatVector.fromArray(S, mb, q + 12 * plane);
                FloatVector s03 = m0.add(m1).add(m2), s13 = m1.sub(m2).sub(m3);
                // then · A
                s00.add(s01).add(s02).intoArray(res, o);
                s01.sub(s02).sub(s03).intoArray(res, o + kk);
                s10.add(s11).add(s12).intoArray(res, o + rw);
                s11.sub(s12).sub(s13).intoArray(res, o + rw + kk);
            }
        }
    }
}
