package dev.tapgrad.runtime.kernel.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ImageConv}'s passes for stride-1 layers on the Vector API, as implicit GEMMs that build
 * no patches: loaded by ImageConv through its class name only where {@code jdk.incubator.vector}
 * is present, for filters a multiple of the lanes.
 *
 * <p>Forward: the image is copied channel-planar with its zero border ({@code c·PP + y·PW + x},
 * PW = OW + kw − 1), so that output pixel q = oy·PW + ox reads tap (ky, kx, c) at
 * {@code c·PP + ky·PW + kx + q}: twelve consecutive pixels are twelve consecutive floats for every
 * tap, one index and constant offsets. A tile of 12 pixels × 2 vectors of filters (24
 * accumulators) takes, per tap, two kernel rows and twelve broadcasts; the pixels at ox ≥ OW of
 * this "virtual" row are computed and dropped (2 of 26 for a 3×3 kernel). dL/dx is the same
 * kernel over dL/dz copied planar with a border of kh − 1 (kw − 1), with the kernel flipped and
 * its channel and filter axes swapped (for channels a multiple of the lanes; otherwise ImageConv's
 * GEMM and col2im). The kernel gradient reads the channels-last image directly: the kw·channels
 * taps of one kernel row are contiguous there, so a tile of 8 taps × 2 vectors of filters sums
 * over the pixels with one index and constant offsets.
 *
 * <p>Sums: forward and dL/dx over the taps in the kernel's row order, then the bias (or the sum
 * onto dL/dx); the kernel gradient over the pixels in order, per image, into its partials. Every
 * vector is a local of the method that uses it (C2 on JDK 17 boxes vectors that cross a call it
 * does not inline or are phis of nested loops, hence one flat loop per tile).
 */
final class VectorImageConv extends ImageConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Pixels per tile of {@link ImplicitTiles}. */
    private static final int R = ImplicitTiles.R;

    private final int c;
    /** Forward: the planar image's row width and plane size, the virtual pixels to compute, tap offsets. */
    private final int pw;
    private final int pp;
    private final int virtualPixels;
    private final int[] offsets;
    /** Per slot: the planar zero-bordered image; and (padded layers) its channels-last zero-bordered copy. */
    private final float[][] planar;
    private final float[][] bordered;
    /** The image the kernel gradient reads: row step, image step (0 for the slot's bordered copy). */
    private final int rowStep;
    private final int imageStep;
    /** dL/dx: whether computed here, the planar dL/dz's row width and plane size, virtual pixels, offsets. */
    private final boolean inputHere;
    private final int pw2;
    private final int pp2;
    private final int virtualPixels2;
    private final int[] offsets2;
    /** The flipped kernel, (kh·kw·filters, channels), and per slot the planar dL/dz and the virtual dL/dx. */
    private final float[] flipped;
    private final float[][] planarGrad;
    private final float[][] inputGrad;
    /** Per slot: the forward output over virtual pixels, (virtualPixels rounded up, filters). */
    private final float[][] virtualOut;
    /** Per slot: one output row's penalty terms per filter, summed in float. */
    private final float[][] penaltyRow;

    VectorImageConv(ConvGeometry geometry, int slots) {
        super(geometry, slots);
        if (geometry.strideH != 1 || geometry.strideW != 1 || geometry.filters % L != 0) {
            throw new IllegalArgumentException("VectorImageConv: strides 1 and filters a multiple of " + L);
        }
        ConvGeometry g = geometry;
        this.c = g.channels;
        int ph = g.outH + g.kernelH - 1;
        this.pw = g.outW + g.kernelW - 1;
        this.pp = ph * pw;
        this.virtualPixels = (g.outH - 1) * pw + g.outW;
        this.offsets = offsets(g.kernelH, g.kernelW, c, pw, pp);
        int blocks = (virtualPixels + R - 1) / R;
        this.planar = new float[slots][c * pp + g.kernelH * pw + g.kernelW + 2 * R];
        this.virtualOut = new float[slots][blocks * R * f];
        this.penaltyRow = new float[slots][f];
        boolean pad = g.padTop > 0 || g.padLeft > 0 || ph > g.height || pw > g.width;
        this.bordered = pad ? new float[slots][pp * c + 16] : null;
        this.rowStep = (pad ? pw : g.width) * c;
        this.imageStep = pad ? 0 : g.height * g.width * c;
        this.inputHere = c % L == 0;
        this.pw2 = g.width + g.kernelW - 1;
        this.pp2 = (g.height + g.kernelH - 1) * pw2;
        this.virtualPixels2 = (g.height - 1) * pw2 + g.width;
        this.offsets2 = offsets(g.kernelH, g.kernelW, f, pw2, pp2);
        int blocks2 = (virtualPixels2 + R - 1) / R;
        this.flipped = new float[patch * f];
        this.planarGrad = inputHere ? new float[slots][f * pp2 + g.kernelH * pw2 + g.kernelW + 2 * R] : null;
        this.inputGrad = inputHere ? new float[slots][blocks2 * R * c] : null;
    }

    /** Offsets of the taps (ky, kx, channel), in the kernel's row order, in a planar image. */
    private static int[] offsets(int kh, int kw, int channels, int rowWidth, int plane) {
        int[] o = new int[kh * kw * channels];
        for (int ky = 0, k = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int ch = 0; ch < channels; ch++) {
                    o[k++] = ch * plane + ky * rowWidth + kx;
                }
            }
        }
        return o;
    }

    @Override
    boolean vectorized() {
        return true;
    }

    @Override
    public void loadKernel(float[] k) {
        super.loadKernel(k);
        // flipped[(ky', kx', filter), channel] = kernel[(kh−1−ky', kw−1−kx', channel), filter].
        int kh = g.kernelH, kw = g.kernelW;
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int src = ((kh - 1 - ky) * kw + (kw - 1 - kx)) * c * f;
                int dst = (ky * kw + kx) * f * c;
                for (int ch = 0; ch < c; ch++) {
                    for (int j = 0; j < f; j++) {
                        flipped[dst + j * c + ch] = k[src + ch * f + j];
                    }
                }
            }
        }
    }

    @Override
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums) {
        float[] src = planar[slot];
        float[] v = virtualOut[slot];
        int h = g.height, w = g.width;
        for (int image = from; image < to; image++) {
            // Channels-last into planar; the border stays zero from allocation.
            int rows = Math.min(h, pp / pw - g.padTop);
            int cols = Math.min(w, pw - g.padLeft);
            toPlanar(x, image * h * w * c, w * c, c, rows, cols, src, pp, g.padTop * pw + g.padLeft, pw);
            ImplicitTiles.products(src, offsets, kernel, f, virtualPixels, v);
            double s = finish(v, pw, bias, out, image * pixels * f, floor, penalty, slot);
            if (penalty != DirectConv.NO_PENALTY) {
                penaltySums[image] = s;
            }
        }
    }

    @Override
    public void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu,
            int penalty, float scale, int from, int to, int slot, float[] partials) {
        float[] r = result[slot];
        float[] db = biasPart[slot];
        for (int image = from; image < to; image++) {
            int o = image * pixels * f;
            dz(out, grad, o, r, db, relu, penalty, scale);
            int part = image * (patch * f + f);
            kernelGradient(x, image, slot, r, partials, part);
            System.arraycopy(db, 0, partials, part + patch * f, f);
            if (gx == null) {
                continue;
            }
            if (!inputHere) {
                inputGradientByPatches(r, image, slot, gx, accumulate);
                continue;
            }
            float[] pg = planarGrad[slot];
            int offY = g.kernelH - 1 - g.padTop, offX = g.kernelW - 1 - g.padLeft;
            toPlanar(r, 0, g.outW * f, f, g.outH, g.outW, pg, pp2, offY * pw2 + offX, pw2);
            float[] v = inputGrad[slot];
            ImplicitTiles.products(pg, offsets2, flipped, c, virtualPixels2, v);
            int h = g.height, w = g.width;
            for (int iy = 0; iy < h; iy++) {
                int d = ((image * h + iy) * w) * c;
                int i = iy * pw2 * c;
                if (!accumulate) {
                    // the first writer of gx in a step: every pixel of the image is stored, none read
                    System.arraycopy(v, i, gx, d, w * c);
                    continue;
                }
                for (int end = i + w * c; i < end; i++) {
                    gx[d++] += v[i];
                }
            }
        }
    }

    /**
     * As ImageConv's, on vectors (its loops along 32 filters are too short for C2's vectorised main
     * loop): the penalty's terms summed per filter in float over an output row, the rows in double.
     */
    @Override
    double finish(float[] r, int rowWidth, float[] bias, float[] out, int o, float floor, int penalty, int slot) {
        float[] row = penaltyRow[slot];
        double[] sums = penaltyPart[slot];
        Arrays.fill(sums, 0);
        FloatVector lo = FloatVector.broadcast(S, floor), one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE);
        boolean penalized = penalty != DirectConv.NO_PENALTY;
        for (int oy = 0; oy < g.outH; oy++) {
            for (int ox = 0, i = oy * rowWidth * f, d = o + oy * g.outW * f; ox < g.outW; ox++) {
                for (int jb = 0; jb < f; jb += L, i += L, d += L) {
                    FloatVector v = FloatVector.fromArray(S, r, i).add(FloatVector.fromArray(S, bias, jb)).max(lo);
                    v.intoArray(out, d);
                    if (penalized) {
                        FloatVector a = v.abs();
                        a.fma(one.blend(a, square), FloatVector.fromArray(S, row, jb)).intoArray(row, jb);
                    }
                }
            }
            if (penalized) {
                for (int j = 0; j < f; j++) {
                    sums[j] += row[j];
                    row[j] = 0;
                }
            }
        }
        double s = 0;
        for (int j = 0; j < f; j++) {
            s += sums[j];
        }
        return s;
    }

    /** As ImageConv's, on vectors, as VectorConv computes dL/dz (the same floats). */
    @Override
    void dz(float[] out, float[] grad, int o, float[] r, float[] db, boolean relu, int penalty, float scale) {
        Arrays.fill(db, 0f);
        FloatVector sc = FloatVector.broadcast(S, scale), zero = FloatVector.zero(S);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE), linear = S.maskAll(!relu);
        for (int i = 0, n = pixels * f; i < n; ) {
            for (int jb = 0; jb < f; jb += L, i += L) {
                FloatVector v = FloatVector.fromArray(S, grad, o + i), y = FloatVector.fromArray(S, out, o + i);
                v = v.blend(v.add(sc.blend(y.add(y).mul(sc), square)), penalized);
                v = zero.blend(v, y.compare(VectorOperators.GT, 0f).or(linear));
                v.intoArray(grad, o + i);
                v.intoArray(r, i);
                v.add(FloatVector.fromArray(S, db, jb)).intoArray(db, jb);
            }
        }
    }

    /**
     * Copies a channels-last image ({@code rows × cols} pixels of {@code channels} from {@code s},
     * rows {@code rowStep} apart) into planes of {@code plane} values, pixel (y, x) of channel ch
     * at {@code d + ch·plane + y·width + x}.
     */
    private static void toPlanar(float[] src, int s, int rowStep, int channels, int rows, int cols, float[] dst,
            int plane, int d, int width) {
        for (int ch = 0; ch < channels; ch++) {
            for (int y = 0; y < rows; y++) {
                int from = s + y * rowStep + ch;
                int to = d + ch * plane + y * width;
                for (int x = 0; x < cols; x++) {
                    dst[to + x] = src[from + x * channels];
                }
            }
        }
    }

    /** One image's kernel gradient from its dL/dz {@code r} (pixels, filters) into {@code partials[part …]}. */
    private void kernelGradient(float[] x, int image, int slot, float[] r, float[] partials, int part) {
        float[] src = x;
        int base = image * imageStep;
        if (bordered != null) {
            src = bordered[slot];
            int rows = Math.min(g.height, pp / pw - g.padTop);
            int run = Math.min(g.width, pw - g.padLeft) * c;
            for (int iy = 0; iy < rows; iy++) {
                System.arraycopy(x, ((image * g.height + iy) * g.width) * c, src, ((iy + g.padTop) * pw + g.padLeft) * c,
                        run);
            }
            base = 0;
        }
        int run = g.kernelW * c;
        for (int ky = 0; ky < g.kernelH; ky++) {
            int s = 0;
            for (; s + 8 <= run; s += 8) {
                int tap = base + ky * rowStep + s;
                int dst = part + (ky * run + s) * f;
                int jb = 0;
                for (; jb + 2 * L <= f; jb += 2 * L) {
                    grad8x2(src, tap, r, jb, partials, dst + jb);
                }
                if (jb < f) {
                    grad8x1(src, tap, r, jb, partials, dst + jb);
                }
            }
            for (; s < run; s++) {
                for (int jb = 0; jb < f; jb += L) {
                    grad1x1(src, base + ky * rowStep + s, r, jb, partials, part + (ky * run + s) * f + jb);
                }
            }
        }
    }

    /**
     * Kernel-gradient rows of 8 consecutive taps (the channels-last image at {@code tap} for the
     * first pixel) × filters [jb, jb + 2L): Σ over the pixels in order of tap value · dL/dz, into
     * {@code dst[d …]} with row stride filters.
     */
    private void grad8x2(float[] src, int tap, float[] dz, int jb, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        int n = f, step = c, outW = g.outW, rowJump = rowStep - outW * c;
        for (int q = 0, ox = 0, p = tap, o = jb; q < pixels; q++, o += n) {
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

    /** {@link #grad8x2} for one vector of filters. */
    private void grad8x1(float[] src, int tap, float[] dz, int jb, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int n = f, step = c, outW = g.outW, rowJump = rowStep - outW * c;
        for (int q = 0, ox = 0, p = tap, o = jb; q < pixels; q++, o += n) {
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
    private void grad1x1(float[] src, int tap, float[] dz, int jb, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S);
        int n = f, step = c, outW = g.outW, rowJump = rowStep - outW * c;
        for (int q = 0, ox = 0, p = tap, o = jb; q < pixels; q++, o += n) {
            a0 = FloatVector.broadcast(S, src[p]).fma(FloatVector.fromArray(S, dz, o), a0);
            p += step;
            if (++ox == outW) {
                ox = 0;
                p += rowJump;
            }
        }
        a0.intoArray(dst, d);
    }
}
