package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.gemm.RowGemm;

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
 * dropped (for 24×24 outputs 169 virtual tiles an image for 144; the direct products computed
 * 8% more pixels than they kept). The shifted reads are copies ({@link System#arraycopy}) into
 * rows of their own. Bᵀ d B along the columns, then the rows; the products; Aᵀ m A along the
 * rows, then the columns, bias and floor on the way; then one pixel at a time into the
 * channels-last output.
 *
 * <p>Sums: each output is Aᵀ [Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)] A with the channels in order (the products'
 * k order), independent of how many images share a row and of the threads. Not the bits of the
 * direct passes nor of {@link VectorWinograd} (other rounding); error bound as {@link Winograd}'s.
 */
final class WinogradRows {
    /** Inputs and outputs (channels, filters for the forward; filters, channels for dL/dx). */
    final int cin;
    final int cout;
    /** The input's height and width, its border above and left, the output's height and width. */
    private final int h;
    private final int w;
    private final int top;
    private final int left;
    final int outH;
    final int outW;
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
     * Per slot, allocated on first use: parity planes (4·cin rows), three rows of shifted plane
     * reads, one ξ's transformed inputs (cin rows) and products (cout rows), and the outputs
     * (4·cout rows: output (i, j) of each tile in rows (2i + j)·cout …).
     */
    private final float[][][] planes;
    private final float[][][] shifted;
    private final float[][][] u;
    private final float[][][] m;
    private final float[][][] y;
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
        this.v = new float[16 * cin * cout];
        this.planes = new float[slots][][];
        this.shifted = new float[slots][][];
        this.u = new float[slots][][];
        this.m = new float[slots][][];
        this.y = new float[slots][][];
        this.pixel = new float[slots][];
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
        int length = group * plane + 16;
        float[][] p = new float[4 * cin][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new float[length];
        }
        planes[slot] = p;
        shifted[slot] = RowGemm.rows(3, n);
        u[slot] = RowGemm.rows(cin, n);
        m[slot] = RowGemm.rows(cout, n);
        y[slot] = RowGemm.rows(4 * cout, n);
        pixel[slot] = new float[cout + 16];
    }

    /**
     * Image {@code image} of {@code x} (height × width × cin, channels last) into position
     * {@code i} of the slot's parity planes, inside its border (which stays zero).
     */
    void load(float[] x, int image, int i, int slot) {
        ensure(slot);
        float[][] p = planes[slot];
        int src = image * h * w * cin;
        for (int iy = 0; iy < h; iy++, src += w * cin) {
            int y = iy + top;
            if (y >> 1 > th) {
                break; // rows no tile reads
            }
            int rowBase = i * plane + (y >> 1) * rw, pr = (y & 1) * 2 * cin;
            for (int ix = 0, s = src; ix < w; ix++, s += cin) {
                int xx = ix + left;
                if (xx >> 1 >= rw) {
                    break;
                }
                int at = rowBase + (xx >> 1);
                for (int c = 0, pi = pr + (xx & 1) * cin; c < cin; c++, pi++) {
                    p[pi][at] = x[s + c];
                }
            }
        }
    }

    /**
     * Rows of the window that Bᵀ's row a combines, the second's sign, for a = 0 … 3: (d0 − d2, d1 + d2,
     * d2 − d1, d1 − d3), the first always with +1. Columns alike.
     */
    private static final int[][] B_ROWS = {{0, 2, -1}, {1, 2, 1}, {2, 1, -1}, {1, 3, -1}};
    /** Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]. */
    private static final float[][] A_T = {{1, 1, 1, 0}, {0, 1, -1, -1}};

    /**
     * The loaded images [0, images) correlated with the kernel into the slot's output rows, then
     * with {@code bias} {@code max(y + bias, floor)}: per ξ = 4a + b, the inputs' transform
     * (Bᵀ d B)[a][b] of every channel, its product with the kernel's, and that product added
     * into the outputs it contributes to (Aᵀ[i][a]·Aᵀ[j][b] ≠ 0), ξ in order. One ξ's rows
     * are all there is of the transformed inputs and products at a time, so that they stay in
     * the core's cache (all 16, four times the image and four times the output, did not: the
     * transforms ran at the memory's speed).
     */
    void compute(int images, float[] bias, float floor, int slot) {
        int n = columns(images);
        float[][] p = planes[slot], sh = shifted[slot], us = u[slot], ms = m[slot], ys = y[slot];
        for (float[] row : ys) {
            java.util.Arrays.fill(row, 0, n, 0f);
        }
        int vs = cin * cout;
        for (int xi = 0; xi < 16; xi++) {
            int[] rows = B_ROWS[xi >> 2], cols = B_ROWS[xi & 3];
            for (int c = 0; c < cin; c++) {
                float[] d00 = window(p, c, rows[0], cols[0], n, sh[0]);
                float[] d01 = window(p, c, rows[0], cols[1], n, sh[1]);
                float[] d10 = window(p, c, rows[1], cols[0], n, sh[2]);
                // exactly one of the four is read in place: the last takes the buffer that one left
                float[] spare = d00 != sh[0] ? sh[0] : d01 != sh[1] ? sh[1] : sh[2];
                float[] d11 = window(p, c, rows[1], cols[1], n, spare);
                transform(n, d00, d01, d10, d11, cols[2], rows[2], us[c]);
            }
            // ms[j][t] = Σ_c v[xi][c][j] · us[c][t]
            RowGemm.multiply(cout, n, cin, v, xi * vs, 1, cout, us, ms, false);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    float s = A_T[i][xi >> 2] * A_T[j][xi & 3];
                    if (s != 0) {
                        for (int k = 0, o = (2 * i + j) * cout; k < cout; k++) {
                            addSigned(n, ms[k], s, ys[o + k]);
                        }
                    }
                }
            }
        }
        if (bias != null) {
            for (int r = 0; r < 4 * cout; r++) {
                biasAndFloor(n, ys[r], bias[r % cout], floor);
            }
        }
    }

    /**
     * Element (row, col) of every virtual tile's 4×4 window of channel c: its parity plane read
     * from (row / 2)·rw + col / 2 on, in place when that is 0, else copied into {@code buffer}.
     */
    private float[] window(float[][] p, int c, int row, int col, int n, float[] buffer) {
        float[] plane = p[(2 * (row & 1) + (col & 1)) * cin + c];
        int shift = (row >> 1) * rw + (col >> 1);
        if (shift == 0) {
            return plane;
        }
        System.arraycopy(plane, shift, buffer, 0, n);
        return buffer;
    }

    /**
     * One element of Bᵀ d B: {@code o = (d00 + sc·d01) + sr·(d10 + sc·d11)} for [0, n), along the
     * columns, then the rows; sc and sr are ±1, so each product is exact and the sums are d00 ± d01 …
     */
    static void transform(int n, float[] d00, float[] d01, float[] d10, float[] d11, float sc, float sr, float[] o) {
        for (int t = 0; t < n; t++) {
            o[t] = (d00[t] + sc * d01[t]) + sr * (d10[t] + sc * d11[t]);
        }
    }

    /** {@code y[t] += s·m[t]} for [0, n), s = ±1 (exact). */
    static void addSigned(int n, float[] m, float s, float[] y) {
        for (int t = 0; t < n; t++) {
            y[t] += s * m[t];
        }
    }

    /** {@code row[t] = max(row[t] + bias, floor)}: the bias, then the floor, as the direct passes order them. */
    static void biasAndFloor(int n, float[] row, float bias, float floor) {
        for (int t = 0; t < n; t++) {
            row[t] = Math.max(row[t] + bias, floor);
        }
    }

    /**
     * Image {@code i} of the latest {@link #compute} into {@code out} from {@code o} on (outH ×
     * outW × cout, channels last), added to its values when {@code accumulate}; with a penalty
     * its Σ|y| or Σy² per output in {@code pa} (pixels in order).
     */
    void store(int i, float[] out, int o, boolean accumulate, int penalty, double[] pa, int slot) {
        float[][] ys = y[slot];
        float[] px = pixel[slot];
        int k = cout;
        for (int oy = 0; oy < outH; oy++) {
            int rowBase = i * plane + (oy >> 1) * rw, half = (oy & 1) * 2 * k;
            for (int ox = 0; ox < outW; ox++, o += k) {
                int r = half + (ox & 1) * k;
                int t = rowBase + (ox >> 1);
                if (accumulate) {
                    for (int j = 0; j < k; j++) {
                        out[o + j] += ys[r + j][t];
                    }
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    px[j] = ys[r + j][t];
                }
                System.arraycopy(px, 0, out, o, k);
                if (penalty == DirectConv.SQUARE) {
                    for (int j = 0; j < k; j++) {
                        float y = px[j];
                        pa[j] += y * y;
                    }
                } else if (penalty == DirectConv.ABS) {
                    for (int j = 0; j < k; j++) {
                        pa[j] += Math.abs(px[j]);
                    }
                }
            }
        }
    }
}
