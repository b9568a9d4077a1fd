package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorImageConv}'s implicit-GEMM tiles over a channels-last image with its zero border
 * (rows of PW pixels, PW = OW + kw − 1): 12 consecutive ("virtual") output pixels q = oy·PW + ox ×
 * one or two vectors of output channels, summed over every tap of the kernel in its row order.
 * Pixel q reads tap (ky, kx, channel) at {@code offsets[k] + q·channels}: one index, the pixels at
 * a constant stride, and no copy of the image into another layout (the planar copies this replaced
 * cost as much as a third of the products). The pixels at ox ≥ OW of a virtual row are computed and
 * dropped by the caller. Each tile's accumulators are locals of one method, unrolled by hand (C2
 * on JDK 17 keeps them in registers only so). Kernels three taps wide take {@link Row3Tiles}.
 */
final class ImplicitTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Virtual pixels are computed in blocks of R: a multiple of every tile height here and in {@link Row3Tiles}. */
    static final int R = 48;

    private ImplicitTiles() {}

    /**
     * The taps of one implicit GEMM over a channels-last bordered image (kernel kh × kw over
     * {@code channels}, rows {@code rowWidth} pixels apart) into n outputs per pixel, and the tiles
     * that compute it: {@link Row3Tiles} for kernels three taps wide, else this class's.
     */
    static final class Taps {
        /** Offsets of the taps (ky, kx, channel), in the kernel's row order, from a pixel's first value. */
        final int[] offsets;
        /** Kernels 3 wide: per (ky, channel), the offset of its tap 0 and its kernel row; else null. */
        final int[] rows;
        final int[] wRows;
        /** Values per pixel (the stride between neighbouring pixels), outputs per pixel. */
        final int channels;
        final int n;
        /** The kernel-row step between taps kx and kx + 1 of one channel. */
        final int wStep;
        /** Kernel rows, and the image's row width in pixels. */
        final int kh;
        final int rowWidth;

        Taps(int kh, int kw, int channels, int rowWidth, int n) {
            this.channels = channels;
            this.n = n;
            this.wStep = channels * n;
            this.kh = kh;
            this.rowWidth = rowWidth;
            this.offsets = new int[kh * kw * channels];
            for (int ky = 0, k = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int ch = 0; ch < channels; ch++) {
                        offsets[k++] = (ky * rowWidth + kx) * channels + ch;
                    }
                }
            }
            this.rows = kw == 3 ? new int[kh * channels] : null;
            this.wRows = kw == 3 ? new int[kh * channels] : null;
            for (int ky = 0, t = 0; rows != null && ky < kh; ky++) {
                for (int ch = 0; ch < channels; ch++, t++) {
                    rows[t] = ky * rowWidth * channels + ch;
                    wRows[t] = (ky * kw * channels + ch) * n;
                }
            }
        }

        /**
         * dst (virtual pixels rounded up to R, n) = the image at {@code src[base …]} times the
         * (taps, n) kernel w; reads up to R pixels past the last virtual one.
         */
        void products(float[] src, int base, float[] w, int virtual, float[] dst) {
            products(src, base, w, virtual, dst, 0, Integer.MAX_VALUE / 2);
        }

        /**
         * {@link #products(float[], int, float[], int, float[])} where only image rows [top, bottom]
         * can hold non-zeros (the rest are a zero border): three-wide tiles skip the kernel rows
         * that read only border rows for all their pixels, whose terms are exact zeros.
         */
        void products(float[] src, int base, float[] w, int virtual, float[] dst, int top, int bottom) {
            if (rows != null) {
                Row3Tiles.products(src, base, this, w, virtual, dst, top, bottom);
            } else {
                ImplicitTiles.products(src, base, channels, offsets, w, n, virtual, dst);
            }
        }
    }

    /** dst (virtual pixels rounded up to R, n) = the image at {@code src[base …]}, pixels cs apart, at {@code offsets} times w (taps, n). */
    static void products(float[] src, int base, int cs, int[] offsets, float[] w, int n, int virtual, float[] dst) {
        for (int q0 = 0; q0 < virtual; q0 += 12) {
            int jb = 0;
            for (; jb + 2 * L <= n; jb += 2 * L) {
                tile12x2(src, base + q0 * cs, cs, q0, offsets, w, n, jb, dst);
            }
            if (jb < n) {
                tile12x1(src, base + q0 * cs, cs, q0, offsets, w, n, jb, dst);
            }
        }
    }

    /** 12 virtual pixels from q0 × filters [jb, jb + 2L): the products over all taps into dst (q, n). */
    private static void tile12x2(float[] src, int start, int cs, int q0, int[] offsets, float[] w, int n, int jb,
            float[] dst) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        FloatVector b6 = a0, b7 = a0, b8 = a0, b9 = a0, b10 = a0, b11 = a0;
        int taps = offsets.length;
        for (int k = 0, wi = jb; k < taps; k++, wi += n) {
            int p = offsets[k] + start;
            FloatVector w0 = FloatVector.fromArray(S, w, wi), w1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector x = FloatVector.broadcast(S, src[p]); a0 = x.fma(w0, a0); b0 = x.fma(w1, b0);
            x = FloatVector.broadcast(S, src[p + 1 * cs]); a1 = x.fma(w0, a1); b1 = x.fma(w1, b1);
            x = FloatVector.broadcast(S, src[p + 2 * cs]); a2 = x.fma(w0, a2); b2 = x.fma(w1, b2);
            x = FloatVector.broadcast(S, src[p + 3 * cs]); a3 = x.fma(w0, a3); b3 = x.fma(w1, b3);
            x = FloatVector.broadcast(S, src[p + 4 * cs]); a4 = x.fma(w0, a4); b4 = x.fma(w1, b4);
            x = FloatVector.broadcast(S, src[p + 5 * cs]); a5 = x.fma(w0, a5); b5 = x.fma(w1, b5);
            x = FloatVector.broadcast(S, src[p + 6 * cs]); a6 = x.fma(w0, a6); b6 = x.fma(w1, b6);
            x = FloatVector.broadcast(S, src[p + 7 * cs]); a7 = x.fma(w0, a7); b7 = x.fma(w1, b7);
            x = FloatVector.broadcast(S, src[p + 8 * cs]); a8 = x.fma(w0, a8); b8 = x.fma(w1, b8);
            x = FloatVector.broadcast(S, src[p + 9 * cs]); a9 = x.fma(w0, a9); b9 = x.fma(w1, b9);
            x = FloatVector.broadcast(S, src[p + 10 * cs]); a10 = x.fma(w0, a10); b10 = x.fma(w1, b10);
            x = FloatVector.broadcast(S, src[p + 11 * cs]); a11 = x.fma(w0, a11); b11 = x.fma(w1, b11);
        }
        int d = q0 * n + jb;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += n;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += n;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += n;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += n;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += n;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += n;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += n;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L); d += n;
        a8.intoArray(dst, d); b8.intoArray(dst, d + L); d += n;
        a9.intoArray(dst, d); b9.intoArray(dst, d + L); d += n;
        a10.intoArray(dst, d); b10.intoArray(dst, d + L); d += n;
        a11.intoArray(dst, d); b11.intoArray(dst, d + L);
    }

    /** {@link #tile12x2} for one vector of filters. */
    private static void tile12x1(float[] src, int start, int cs, int q0, int[] offsets, float[] w, int n, int jb,
            float[] dst) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        int taps = offsets.length;
        for (int k = 0, wi = jb; k < taps; k++, wi += n) {
            int p = offsets[k] + start;
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            a0 = FloatVector.broadcast(S, src[p]).fma(w0, a0);
            a1 = FloatVector.broadcast(S, src[p + 1 * cs]).fma(w0, a1);
            a2 = FloatVector.broadcast(S, src[p + 2 * cs]).fma(w0, a2);
            a3 = FloatVector.broadcast(S, src[p + 3 * cs]).fma(w0, a3);
            a4 = FloatVector.broadcast(S, src[p + 4 * cs]).fma(w0, a4);
            a5 = FloatVector.broadcast(S, src[p + 5 * cs]).fma(w0, a5);
            a6 = FloatVector.broadcast(S, src[p + 6 * cs]).fma(w0, a6);
            a7 = FloatVector.broadcast(S, src[p + 7 * cs]).fma(w0, a7);
            a8 = FloatVector.broadcast(S, src[p + 8 * cs]).fma(w0, a8);
            a9 = FloatVector.broadcast(S, src[p + 9 * cs]).fma(w0, a9);
            a10 = FloatVector.broadcast(S, src[p + 10 * cs]).fma(w0, a10);
            a11 = FloatVector.broadcast(S, src[p + 11 * cs]).fma(w0, a11);
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
        a11.intoArray(dst, d);
    }
}
