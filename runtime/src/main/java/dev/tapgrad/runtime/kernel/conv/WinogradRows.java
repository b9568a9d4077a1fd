package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.gemm.RowGemm;
import java.util.Arrays;

/**
 * Winograd's F(2×2, 3×3) ({@link Winograd}) on the portable path, for {@link PortableImageConv}'s
 * forward and dL/dx: the 16 element-wise stages are one {@link RowGemm} product each, (outputs ×
 * inputs) times (inputs × tiles), over rows of the tiles of several images at once, and the input
 * and output transforms are loops of + and − along such rows, which C2's auto-vectoriser takes
 * (every array indexed by the loop variable alone, from 0: it leaves a read at an offset scalar).
 *
 * <p>Layout. Each image, with its zero border, is split by the parity of its rows and columns
 * into four "parity planes" per channel: {@code P[2p + q][c][y'·rw + x'] = image[2y' + p][2x' + q][c]},
 * rw = tiles across + 1. Tile (ty, tx) reads its 4×4 window from the planes at
 * {@code u = ty·rw + tx} and {@code u + 1} (the next column pair) and {@code u + rw}, {@code u + rw + 1}
 * (the next row pair), so a "virtual tile" u runs over each image's plane, (tiles down + 1) ×
 * rw, and the images' planes follow each other: the tiles at x' = tw and y' = th are computed and
 * dropped (24×24 outputs: 169 virtual tiles an image for 144). Shifted reads are copies into
 * rows of their own. Bᵀ d B along the columns, then the rows; the products; Aᵀ m A along the
 * rows, then the columns, with the bias and floor; then into the channels-last output.
 *
 * <p>Sums: each output is Aᵀ [Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)] A with the channels in order (the products'
 * k order), independent of how many images share a row and of the threads. Not the bits of the
 * direct passes nor of {@link VectorWinograd} (other rounding); error bound as {@link Winograd}'s.
 */
final class WinogradRows {
    /** Inputs and outputs (channels, filters for the forward; filters, channels for dL/dx). */
    final int cin, cout;
    /** The input's height and width, its border above and left, the output's height and width. */
    private final int h, w, top, left;
    final int outH, outW;
    /** Tiles down and across, a parity plane's row width and size (virtual tiles per image). */
    private final int th;
    private final int tw;
    private final int rw;
    private final int plane;
    /** Images per computation. */
    final int group;
    /** The transformed kernel, (16, cin, cout). */
    private final float[] v;
    /**
     * Per slot, allocated on first use: the parity planes, plane (2p + q, c) from
     * {@code (2p + q)·cin + c)·stride} on in one array; four rows of window reads; one ξ's
     * transformed inputs (cin rows) and products (cout rows); the outputs, (i, j) of each tile in
     * {@code y[2i + j]} (cout rows each); and the rows stage 1 of the output transform sums into.
     */
    private final int stride;
    private final float[][] planes;
    private final float[][][] windows;
    /** Per slot: the inputs' transform along the columns, (Bᵀ d)[b] of plane row parity p, channel c in row (4p + b)·cin + c. */
    private final float[][][] half;
    private final float[][][] u;
    private final float[][][][] m;
    private final float[][][][] y;
    private final float[][][][] s;
    /** Per slot: one output pixel's outputs, gathered from the output rows. */
    private final float[][] pixel;

    WinogradRows(int cin, int cout, int height, int width, int top, int left, int outH, int outW, int group,
            int slots) {
        this.cin = cin;
        this.cout = cout;
        this.h = height;
        this.w = width;
        this.top = top;
        this.left = left;
        this.outH = outH;
        this.outW = outW;
        this.th = (outH + 1) / 2;
        this.tw = (outW + 1) / 2;
        this.rw = tw + 1;
        this.plane = (th + 1) * rw;
        this.group = group;
        this.stride = (group * plane + 31) / 16 * 16;
        this.v = new float[16 * cin * cout];
        this.planes = new float[slots][];
        this.windows = new float[slots][][];
        this.half = new float[slots][][];
        this.u = new float[slots][][];
        this.m = new float[slots][][][];
        this.y = new float[slots][][][];
        this.s = new float[slots][][][];
        this.pixel = new float[slots][];
    }

    /** The forward of a 3×3 layer ({@link #suits}), {@code group} images per computation. */
    static WinogradRows forward(ConvGeometry g, int group, int slots) {
        check(g);
        return new WinogradRows(g.channels, g.filters, g.height, g.width, g.padTop, g.padLeft, g.outH, g.outW, group,
                slots);
    }

    /** dL/dx of a 3×3 layer: the flipped kernel over dL/dz with a border of 2 − pad, the input's size out. */
    static WinogradRows inputGradient(ConvGeometry g, int group, int slots) {
        check(g);
        return new WinogradRows(g.filters, g.channels, g.outH, g.outW, 2 - g.padTop, 2 - g.padLeft, g.height, g.width,
                group, slots);
    }

    private static void check(ConvGeometry g) {
        if (g.kernelH != 3 || g.kernelW != 3 || g.strideH != 1 || g.strideW != 1 || g.padTop > 2 || g.padLeft > 2) {
            throw new IllegalArgumentException("WinogradRows: takes 3x3 kernels, strides 1, padding up to 2, not "
                    + g.kernelH + "x" + g.kernelW + " stride " + g.strideH + "x" + g.strideW + " padding "
                    + g.padTop + "/" + g.padLeft);
        }
    }

    /**
     * Whether PortableImageConv computes a layer's forward and dL/dx here: 3×3 kernels, strides 1,
     * 16 input channels or more ({@code -Dtapgrad.conv.winograd=false} turns it off). Measured on
     * one thread against the direct products (forward, dL/dx, per image): twoconv64's 26×26×16 → 32
     * 0.85–0.92 and 0.85 of their time, convnet128's 13×13×32 → 64 0.82 and 0.84.
     */
    static boolean suits(ConvGeometry g) {
        return g.kernelH == 3 && g.kernelW == 3 && g.strideH == 1 && g.strideW == 1 && g.channels >= 16
                && g.padTop <= 2 && g.padLeft <= 2
                && !"false".equalsIgnoreCase(System.getProperty("tapgrad.conv.winograd"));
    }

    /**
     * Images per computation for a layer: as many as take the products' rows of virtual tiles to
     * about 700, up to 8 (twoconv64's 24×24 outputs, 169 an image: 4; convnet128's 11×11, 49: 8).
     * Measured (one thread, RowGemm alone): rows of 676 ran at 87–92 GFLOP/s where 338 ran at 76
     * and 196 at 59; convnet128's second layer took as long as the direct products with 4 images
     * and 0.82–0.84 of their time with 8.
     */
    static int imagesPerComputation(ConvGeometry g) {
        int plane = ((g.outH + 1) / 2 + 1) * ((g.outW + 1) / 2 + 1);
        return Math.max(1, Math.min(8, (700 + plane / 2) / plane));
    }

    /**
     * The forward of images [from, to): {@link #group} at a time loaded, computed with the bias
     * and floor, stored, with the penalty's sum of each image into {@code penaltySums} (per output
     * in {@code pa}, then the outputs in order).
     */
    void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums, double[] pa) {
        int size = outH * outW * cout;
        for (int first = from; first < to; first += group) {
            int images = Math.min(group, to - first);
            for (int i = 0; i < images; i++) {
                load(x, first + i, i, slot);
            }
            compute(images, bias, floor, slot);
            for (int i = 0; i < images; i++) {
                Arrays.fill(pa, 0);
                store(i, out, (first + i) * size, false, penalty, pa, slot);
                if (penalty != DirectConv.NO_PENALTY) {
                    double sum = 0;
                    for (int j = 0; j < cout; j++) {
                        sum += pa[j];
                    }
                    penaltySums[first + i] = sum;
                }
            }
        }
    }

    /** Takes a (3, 3, cin, cout) kernel: its transform G g Gᵀ per input and output. */
    void loadKernel(float[] k) {
        Winograd.transformKernel(k, cin * cout, v);
    }

    /** Columns of a computation over {@code images} images: up to the last image's last real tile. */
    private int columns(int images) {
        return (images - 1) * plane + (th - 1) * rw + tw;
    }

    private void ensure(int slot) {
        if (planes[slot] != null) {
            return;
        }
        int n = columns(group);
        planes[slot] = new float[4 * cin * stride];
        windows[slot] = RowGemm.rows(4, n + rw + 16);
        half[slot] = RowGemm.rows(8 * cin, n + rw + 16);
        u[slot] = RowGemm.rows(cin, n);
        m[slot] = new float[][][] {RowGemm.rows(cout, n), RowGemm.rows(cout, n)};
        y[slot] = new float[][][] {RowGemm.rows(cout, n), RowGemm.rows(cout, n), RowGemm.rows(cout, n),
            RowGemm.rows(cout, n)};
        s[slot] = new float[][][] {RowGemm.rows(cout, n), RowGemm.rows(cout, n), RowGemm.rows(cout, n),
            RowGemm.rows(cout, n)};
        pixel[slot] = new float[cout + 16];
    }

    /**
     * Image {@code image} of {@code x} (height × width × cin, channels last) into position
     * {@code i} of the slot's parity planes, inside its border (which stays zero).
     */
    void load(float[] x, int image, int i, int slot) {
        ensure(slot);
        float[] p = planes[slot];
        int src = image * h * w * cin;
        int rows = Math.min(h, 2 * (th + 1) - top), across = Math.min(w, 2 * rw - left);
        for (int iy = 0; iy < rows; iy++, src += w * cin) {
            int yy = iy + top;
            int rowBase = (yy & 1) * 2 * cin * stride + i * plane + (yy >> 1) * rw;
            for (int ix = 0, sx = src; ix < across; ix++, sx += cin) {
                int xx = ix + left;
                // one array, channel planes a stride apart: as the direct path's toPlanar
                for (int c = 0, d = rowBase + (xx & 1) * cin * stride + (xx >> 1); c < cin; c++, d += stride) {
                    p[d] = x[sx + c];
                }
            }
        }
    }

    /**
     * Rows of the window that Bᵀ's row a combines, the second's sign, for a = 0 … 3: (d0 − d2, d1 + d2,
     * d2 − d1, d1 − d3), the first always with +1. Columns alike.
     */
    private static final int[][] B_ROWS = {{0, 2, -1}, {1, 2, 1}, {2, 1, -1}, {1, 3, -1}};

    /**
     * The loaded images [0, images) correlated with the kernel into the slot's output rows, then
     * with {@code bias} {@code max(y + bias, floor)}. Aᵀ m A in two stages, b (the window's
     * column) outermost: for each b the four products of ξ = 4a + b, one at a time (each the
     * inputs' transform (Bᵀ d B)[a][b] of every channel times the kernel's), summed along a into
     * two rows (s0 = m0 + m1 + m2, s1 = m1 − m2 − m3), those added along b into the outputs (y0 =
     * s0 + s1 + s2, y1 = s1 − s2 − s3). One ξ's transformed inputs and products are all there is
     * of them at a time, so that they stay in the core's cache (all 16, four times the images and
     * four times the outputs, did not: the transforms ran at the memory's speed).
     */
    void compute(int images, float[] bias, float floor, int slot) {
        int n = columns(images);
        alongColumns(n, slot);
        float[][][] ys = y[slot], ss = s[slot];
        float[][] m0 = m[slot][0], m1 = m[slot][1];
        for (int b = 0; b < 4; b++) {
            // b = 0 and 1 sum straight into the outputs (i, b), b = 2 and 3 into s
            float[][] t0 = b < 2 ? ys[b] : ss[2 * (b - 2)], t1 = b < 2 ? ys[2 + b] : ss[2 * (b - 2) + 1];
            product(0, b, n, t0, slot);
            product(1, b, n, t1, slot);
            product(2, b, n, m0, slot);
            product(3, b, n, m1, slot);
            for (int k = 0; k < cout; k++) {
                combine(n, t0[k], t1[k], m0[k], m1[k], t0[k], t1[k]);
            }
        }
        for (int i = 0; i < 2; i++) {
            float[][] y0 = ys[2 * i], y1 = ys[2 * i + 1], s2 = ss[i], s3 = ss[2 + i];
            for (int k = 0; k < cout; k++) {
                if (bias == null) {
                    combine(n, y0[k], y1[k], s2[k], s3[k], y0[k], y1[k]);
                } else {
                    combineAndFloor(n, y0[k], y1[k], s2[k], s3[k], y0[k], y1[k], bias[k], floor);
                }
            }
        }
    }

    /**
     * Bᵀ d along the columns of every plane row, once per computation: for each channel and row
     * parity p, {@code half[4p + b] = (d0 − d2, d1 + d2, d2 − d1, d1 − d3)} of the columns d0 … d3
     * = planes (p, 0) and (p, 1) from x' and from x' + 1, over n + rw virtual tiles (the rows
     * stage reads a plane row on).
     */
    private void alongColumns(int n, int slot) {
        float[] p = planes[slot];
        float[][] win = windows[slot], hs = half[slot];
        int n2 = n + rw;
        for (int pr = 0; pr < 2; pr++) {
            for (int c = 0; c < cin; c++) {
                int even = ((2 * pr) * cin + c) * stride, odd = ((2 * pr + 1) * cin + c) * stride;
                System.arraycopy(p, even, win[0], 0, n2);
                System.arraycopy(p, odd, win[1], 0, n2);
                System.arraycopy(p, even + 1, win[2], 0, n2);
                System.arraycopy(p, odd + 1, win[3], 0, n2);
                int o = 4 * pr * cin + c;
                transform4(n2, win[0], win[1], win[2], win[3], hs[o], hs[o + cin], hs[o + 2 * cin], hs[o + 3 * cin]);
            }
        }
    }

    /** {@code (d0 − d2, d1 + d2, d2 − d1, d1 − d3)} for [0, n): Bᵀ d along one axis. */
    static void transform4(int n, float[] d0, float[] d1, float[] d2, float[] d3, float[] o0, float[] o1,
            float[] o2, float[] o3) {
        for (int t = 0; t < n; t++) {
            float a = d0[t], b = d1[t], c = d2[t], d = d3[t];
            o0[t] = a - c;
            o1[t] = b + c;
            o2[t] = c - b;
            o3[t] = b - d;
        }
    }

    /**
     * {@code out[j][0, n) = Σ_c v[ξ][c][j] · (Bᵀ d B)[a][b] of channel c}, ξ = 4a + b: the
     * columns' transform ({@link #alongColumns}) of two window rows combined along the rows, the one a
     * plane row on copied (of the two rows Bᵀ's row a takes, exactly one is).
     */
    private void product(int a, int b, int n, float[][] out, int slot) {
        float[][] win = windows[slot], hs = half[slot], us = u[slot];
        int[] rows = B_ROWS[a];
        int r0 = rows[0], r1 = rows[1];
        for (int c = 0; c < cin; c++) {
            float[] d0 = hs[(4 * (r0 & 1) + b) * cin + c], d1 = hs[(4 * (r1 & 1) + b) * cin + c];
            if (r0 >= 2) {
                System.arraycopy(d0, rw, win[0], 0, n);
                d0 = win[0];
            } else {
                System.arraycopy(d1, rw, win[1], 0, n);
                d1 = win[1];
            }
            combineRows(n, d0, d1, rows[2], us[c]);
        }
        RowGemm.multiply(cout, n, cin, v, (4 * a + b) * cin * cout, 1, cout, us, out, false);
    }

    /** {@code o = d0 + s·d1} for [0, n), s = ±1 (exact): Bᵀ d along the rows. */
    static void combineRows(int n, float[] d0, float[] d1, float s, float[] o) {
        for (int t = 0; t < n; t++) {
            o[t] = d0[t] + s * d1[t];
        }
    }

    /** Aᵀ m along one axis: {@code (m0 + m1 + m2, m1 − m2 − m3)} for [0, n); the outputs may be m0 and m1. */
    static void combine(int n, float[] m0, float[] m1, float[] m2, float[] m3, float[] o0, float[] o1) {
        for (int t = 0; t < n; t++) {
            float a = m0[t], b = m1[t], c = m2[t], d = m3[t];
            o0[t] = a + b + c;
            o1[t] = b - c - d;
        }
    }

    /** {@link #combine}, then {@code max(o + bias, floor)}: the bias, then the floor, as the direct passes order them. */
    static void combineAndFloor(int n, float[] m0, float[] m1, float[] m2, float[] m3, float[] o0, float[] o1,
            float bias, float floor) {
        for (int t = 0; t < n; t++) {
            float a = m0[t], b = m1[t], c = m2[t], d = m3[t];
            o0[t] = Math.max(a + b + c + bias, floor);
            o1[t] = Math.max(b - c - d + bias, floor);
        }
    }

    /**
     * Image {@code i} of the latest {@link #compute} into {@code out} from {@code o} on (outH ×
     * outW × cout, channels last), added to its values when {@code accumulate}; with a penalty
     * its Σ|y| or Σy² per output in {@code pa} (pixels in order).
     */
    void store(int i, float[] out, int o, boolean accumulate, int penalty, double[] pa, int slot) {
        float[][][] ys = y[slot];
        float[] px = pixel[slot];
        int k = cout, rowSize = outW * k;
        for (int oy = 0; oy < outH; oy++, o += rowSize) {
            int t0 = i * plane + (oy >> 1) * rw;
            // the even pixels of the row from output (oy & 1, 0), the odd ones from (oy & 1, 1)
            for (int q = 0; q < 2 && q < outW; q++) {
                spread(ys[2 * (oy & 1) + q], t0, (outW - q + 1) / 2, out, o + q * k, accumulate);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                for (int ox = 0; ox < outW; ox++) {
                    System.arraycopy(out, o + ox * k, px, 0, k);
                    DirectConvRows.addPenalty(pa, px, penalty == DirectConv.SQUARE, k);
                }
            }
        }
    }

    /**
     * {@code out[d + 2x·cout + j] (+)= rows[j][t0 + x]} for x &lt; count: four output rows at a
     * time, read along the tiles (as PortableImageConv.transposeInto: a pixel's values gathered
     * from a row each, one at a time, took twice as long).
     */
    private void spread(float[][] rows, int t0, int count, float[] out, int d, boolean accumulate) {
        int k = cout, step = 2 * k, j = 0;
        for (; j + 4 <= k; j += 4) {
            float[] r0 = rows[j], r1 = rows[j + 1], r2 = rows[j + 2], r3 = rows[j + 3];
            int e = d + j;
            if (accumulate) {
                for (int x = 0, t = t0; x < count; x++, t++, e += step) {
                    out[e] += r0[t];
                    out[e + 1] += r1[t];
                    out[e + 2] += r2[t];
                    out[e + 3] += r3[t];
                }
            } else {
                for (int x = 0, t = t0; x < count; x++, t++, e += step) {
                    out[e] = r0[t];
                    out[e + 1] = r1[t];
                    out[e + 2] = r2[t];
                    out[e + 3] = r3[t];
                }
            }
        }
        for (; j < k; j++) {
            float[] r = rows[j];
            for (int x = 0, t = t0, e = d + j; x < count; x++, t++, e += step) {
                out[e] = accumulate ? out[e] + r[t] : r[t];
            }
        }
    }
}
