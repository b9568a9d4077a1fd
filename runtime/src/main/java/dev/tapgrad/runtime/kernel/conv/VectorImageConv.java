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
 * <p>Forward: the tiles of {@link ImplicitTiles} and {@link Row3Tiles} read the channels-last
 * image in place (or, for padded layers and where a tile's reads would run past x, its copy with
 * a zero border, rows PW = OW + kw − 1 pixels wide): output pixel q = oy·PW + ox reads tap (ky,
 * kx, c) at {@code (q + ky·PW + kx)·C + c}, so a tile of consecutive pixels reads one index plus
 * constant strides for every tap; the pixels at ox ≥ OW of this "virtual" row are computed and
 * dropped (2 of 26 for a 3×3 kernel); for 3-wide kernels into pairs of filter vectors the
 * forward instead runs over the real rows and finishes each tile in registers ({@link
 * Row3Tiles#finishedRows}). dL/dx is the same kernel over dL/dz copied with a border of kh − 1 (kw − 1), with the kernel flipped and its channel and filter axes swapped (for channels
 * a multiple of the lanes; otherwise ImageConv's GEMM and col2im). The kernel gradient reads the
 * channels-last image directly: the kw·channels taps of one kernel row are contiguous there, so a
 * tile of 8 taps × 2 vectors of filters sums over the pixels with one index and constant offsets
 * ({@link GradTiles}, whose first tile per pair of filter vectors also computes dL/dz from dL/dout
 * and out, hiding their reads from memory behind its multiply-adds).
 *
 * <p>3×3 stride-1 layers compute the forward and dL/dx as Winograd's F(4×4, 3×3) or F(2×2, 3×3)
 * instead where {@link Winograd#vectorTile} says so, each pass on its own ({@link VectorWinograd4},
 * {@link VectorWinograd}; the kernel gradient stays the direct sum above), its result then
 * finished (bias, floor, penalty) or added to dL/dx as the tiles' virtual rows are.
 *
 * <p>Sums: forward and dL/dx over the taps in the tiles' fixed order, then the bias (or the sum
 * onto dL/dx); the kernel gradient over the pixels in order, per image, into its partials. Every
 * vector is a local of the method that uses it (C2 on JDK 17 boxes vectors that cross a call it
 * does not inline or are phis of nested loops, hence one flat loop per tile).
 */
final class VectorImageConv extends ImageConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The blocks of virtual pixels the tiles compute, {@link ImplicitTiles#R}. */
    private static final int R = ImplicitTiles.R;

    private final int c;
    /** Forward: the zero-bordered image's row width (pixels) and size, the virtual pixels to compute, the taps. */
    private final int pw;
    private final int pp;
    private final int virtualPixels;
    private final ImplicitTiles.Taps taps;
    /**
     * Per slot: the image's channels-last zero-bordered copy, with slack for the tiles' last reads;
     * the passes read x itself where it needs no border and the slack stays inside x.
     */
    private final float[][] bordered;
    /** Whether the layer needs the zero border (padding); else x's rows are the bordered image's. */
    private final boolean pad;
    /** The image the kernel gradient reads: row step, image step (0 for the slot's bordered copy). */
    private final int rowStep;
    private final int imageStep;
    /** dL/dx: whether computed here, the bordered dL/dz's row width and size, virtual pixels, taps. */
    private final boolean inputHere;
    private final int pw2;
    private final int pp2;
    private final int virtualPixels2;
    private final ImplicitTiles.Taps taps2;
    /** The flipped kernel, (kh·kw·filters, channels), and per slot the bordered dL/dz and the virtual dL/dx. */
    private final float[] flipped;
    private final float[][] borderedGrad;
    private final float[][] inputGrad;
    /** Per slot: the forward output over virtual pixels, (virtualPixels rounded up, filters). */
    private final float[][] virtualOut;
    /** Per slot: one output row's penalty terms per filter, summed in float. */
    private final float[][] penaltyRow;
    /** Whether the forward runs in {@link Row3Tiles#finishedRows}: kernels 3 wide, filters a multiple of 2L. */
    private final boolean rowsFinished;
    /** The kernel gradient's walk over an image, for {@link GradTiles}. */
    private final GradTiles.Walk walk;
    /**
     * Whether the kernel gradient's first tiles compute dL/dz ({@link GradTiles#grad8x2dz}): filters
     * in pairs of vectors and kernel rows of 8 taps or more; otherwise {@link #dz} is a pass of its own.
     */
    private final boolean dzInTiles;
    /** Whether those tiles write dL/dz into the slot's {@link #borderedGrad} (else into the dense result). */
    private final boolean dzBordered;
    /** Winograd F(2×2, 3×3) for the forward and dL/dx where it suits the layer, else null. */
    private final Winograd wino;
    private final Winograd wino2;

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
        this.taps = new ImplicitTiles.Taps(g.kernelH, g.kernelW, c, pw, f);
        int blocks = (virtualPixels + R - 1) / R;
        this.virtualOut = new float[slots][blocks * R * f];
        this.penaltyRow = new float[slots][f + 16]; // a cache line of slack: the slots' rows are written per pixel row
        this.pad = g.padTop > 0 || g.padLeft > 0 || ph != g.height || pw != g.width;
        // A tile reads up to R pixels past the last virtual one: (pp + 2R) pixels cover every read.
        this.bordered = new float[slots][(pp + 2 * R) * c];
        this.rowStep = (pad ? pw : g.width) * c;
        this.imageStep = pad ? 0 : g.height * g.width * c;
        this.inputHere = c % L == 0;
        this.rowsFinished = g.kernelW == 3 && f % (2 * L) == 0;
        this.dzInTiles = f % (2 * L) == 0 && g.kernelW * c >= 8;
        this.pw2 = g.width + g.kernelW - 1;
        this.pp2 = (g.height + g.kernelH - 1) * pw2;
        this.virtualPixels2 = (g.height - 1) * pw2 + g.width;
        this.taps2 = new ImplicitTiles.Taps(g.kernelH, g.kernelW, f, pw2, c);
        int blocks2 = (virtualPixels2 + R - 1) / R;
        this.flipped = new float[patch * f];
        int tile = Winograd.vectorTile(g, c, f, L);
        // dL/dx: the flipped kernel over dL/dz with a border of 2 − pad, its outputs the image's pixels
        int tileGrad = inputHere ? Winograd.vectorTile(g, f, c, L) : 0;
        // Winograd's dL/dx keeps its own bordered dL/dz and result
        this.borderedGrad = inputHere && tileGrad == 0 ? new float[slots][(pp2 + 2 * R) * f] : null;
        this.inputGrad = inputHere && tileGrad == 0 ? new float[slots][blocks2 * R * c] : null;
        this.wino = tile == 0 ? null
                : Winograd.vector(tile, c, f, g.height, g.width, g.padTop, g.padLeft, g.outH, g.outW, slots);
        this.wino2 = tileGrad == 0 ? null : Winograd.vector(tileGrad, f, c, g.outH, g.outW, 2 - g.padTop,
                2 - g.padLeft, g.height, g.width, slots);
        // dL/dz goes straight into the bordered copy dL/dx reads where the tiles compute it and that copy exists
        this.dzBordered = dzInTiles && borderedGrad != null;
        int offY = g.kernelH - 1 - g.padTop, offX = g.kernelW - 1 - g.padLeft;
        this.walk = dzBordered ? new GradTiles.Walk(pixels, f, c, g.outW, rowStep, (offY * pw2 + offX) * f,
                (pw2 - g.outW) * f) : new GradTiles.Walk(pixels, f, c, g.outW, rowStep, 0, 0);
    }

    @Override
    public boolean winograd() {
        return wino != null || wino2 != null;
    }

    /** The forward's Winograd tile side, 4 or 2, or 0 for the direct tiles. */
    int forwardTile() {
        return wino == null ? 0 : wino.side;
    }

    /** dL/dx's Winograd tile side, 4 or 2, or 0 for the direct tiles (or no dL/dx here). */
    int inputGradientTile() {
        return wino2 == null ? 0 : wino2.side;
    }

    @Override
    boolean vectorized() {
        return true;
    }

    @Override
    public void loadKernel(float[] k) {
        super.loadKernel(k);
        flip(k, flipped);
        if (wino != null) {
            wino.loadKernel(k);
        }
        if (wino2 != null) {
            wino2.loadKernel(flipped);
        }
    }

    @Override
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums) {
        float[] v = virtualOut[slot];
        for (int image = from; image < to; image++) {
            float[] src = x;
            int base = image * g.height * g.width * c;
            if (wino != null) {
                double s = finish(wino.compute(x, base, slot), wino.resultWidth(), bias, out, image * pixels * f,
                        floor, penalty, slot);
                if (penalty != DirectConv.NO_PENALTY) {
                    penaltySums[image] = s;
                }
                continue;
            }
            if (pad || base + (pp + 2 * R) * c > x.length) {
                src = bordered(x, image, slot);
                base = 0;
            }
            double s;
            if (rowsFinished) {
                s = Row3Tiles.finishedRows(taps, src, base, kernel, pw, g.outH, g.outW, bias, floor, penalty, out,
                        image * pixels * f, v, penaltyRow[slot], penaltyPart[slot]);
            } else {
                taps.products(src, base, kernel, virtualPixels, v);
                s = finish(v, pw, bias, out, image * pixels * f, floor, penalty, slot);
            }
            if (penalty != DirectConv.NO_PENALTY) {
                penaltySums[image] = s;
            }
        }
    }

    /**
     * The slot's channels-last copy of image {@code image} with its zero border (rows pw pixels
     * wide); its border and slack stay zero from allocation, the image's pixels are overwritten.
     */
    private float[] bordered(float[] x, int image, int slot) {
        float[] dst = bordered[slot];
        int rows = Math.min(g.height, pp / pw - g.padTop);
        int run = Math.min(g.width, pw - g.padLeft) * c;
        for (int iy = 0; iy < rows; iy++) {
            System.arraycopy(x, ((image * g.height + iy) * g.width) * c, dst, ((iy + g.padTop) * pw + g.padLeft) * c,
                    run);
        }
        return dst;
    }

    @Override
    public void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu,
            int penalty, float scale, int from, int to, int slot, float[] partials) {
        float[] r = result[slot];
        float[] db = biasPart[slot];
        for (int image = from; image < to; image++) {
            int o = image * pixels * f;
            if (!dzInTiles) {
                dz(out, grad, o, r, db, relu, penalty, scale);
            }
            int part = image * (patch * f + f);
            kernelGradient(x, image, slot, dzBordered ? borderedGrad[slot] : r, partials, part, out, grad, o, db, relu,
                    penalty, scale);
            System.arraycopy(db, 0, partials, part + patch * f, f);
            if (gx == null) {
                continue;
            }
            if (!inputHere) {
                inputGradientByPatches(r, image, slot, gx, accumulate);
                continue;
            }
            float[] v;
            int rowWidth;
            if (wino2 != null) {
                v = wino2.compute(r, 0, slot);
                rowWidth = wino2.resultWidth();
            } else {
                // dL/dz into its zero-bordered copy, the border kh − 1 − padTop rows above, kw − 1 − padLeft left.
                float[] bg = borderedGrad[slot];
                int offY = g.kernelH - 1 - g.padTop, offX = g.kernelW - 1 - g.padLeft;
                for (int oy = 0; oy < g.outH && !dzBordered; oy++) {
                    System.arraycopy(r, oy * g.outW * f, bg, ((oy + offY) * pw2 + offX) * f, g.outW * f);
                }
                v = inputGrad[slot];
                taps2.products(bg, 0, flipped, virtualPixels2, v, offY, offY + g.outH - 1);
                rowWidth = pw2;
            }
            int h = g.height, w = g.width;
            for (int iy = 0; iy < h; iy++) {
                int d = ((image * h + iy) * w) * c;
                int i = iy * rowWidth * c;
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
            // A vector of filters at a time along the row, its penalty terms in a register: summed
            // through the row array per pixel, each sum waited for the previous store (a third of
            // the products' time).
            for (int jb = 0; jb < f; jb += L) {
                FloatVector b = FloatVector.fromArray(S, bias, jb), pen = FloatVector.zero(S);
                for (int ox = 0, i = oy * rowWidth * f + jb, d = o + oy * g.outW * f + jb; ox < g.outW;
                        ox++, i += f, d += f) {
                    FloatVector v = FloatVector.fromArray(S, r, i).add(b).max(lo);
                    v.intoArray(out, d);
                    FloatVector a = v.abs();
                    pen = a.fma(one.blend(a, square), pen);
                }
                pen.intoArray(row, jb);
            }
            if (penalized) {
                for (int j = 0; j < f; j++) {
                    sums[j] += row[j];
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
        FloatVector sc = FloatVector.broadcast(S, scale), zero = FloatVector.zero(S);
        VectorMask<Float> penalized = S.maskAll(relu && penalty != DirectConv.NO_PENALTY);
        VectorMask<Float> square = S.maskAll(penalty == DirectConv.SQUARE), linear = S.maskAll(!relu);
        // A vector of filters at a time over the pixels, its bias sum in a register (through db,
        // each pixel's sum waited for the previous one's store).
        for (int jb = 0; jb < f; jb += L) {
            FloatVector sum = FloatVector.zero(S);
            for (int i = jb, n = pixels * f; i < n; i += f) {
                FloatVector v = FloatVector.fromArray(S, grad, o + i), y = FloatVector.fromArray(S, out, o + i);
                v = v.blend(v.add(sc.blend(y.add(y).mul(sc), square)), penalized);
                v = zero.blend(v, y.compare(VectorOperators.GT, 0f).or(linear));
                v.intoArray(grad, o + i);
                v.intoArray(r, i);
                sum = sum.add(v);
            }
            sum.intoArray(db, jb);
        }
    }

    /**
     * One image's kernel gradient from its dL/dz {@code r} (laid out as {@link #walk} says) into {@code partials[part …]};
     * where {@link #dzInTiles}, the first tile of each pair of filter vectors computes dL/dz into r
     * first (from grad and out at {@code o}, as {@link #dz}) and its bias sums into {@code db}.
     */
    private void kernelGradient(float[] x, int image, int slot, float[] r, float[] partials, int part, float[] out,
            float[] grad, int o, float[] db, boolean relu, int penalty, float scale) {
        float[] src = x;
        int base = image * imageStep;
        if (pad) {
            src = bordered(x, image, slot);
            base = 0;
        }
        GradTiles.Walk w = walk;
        int run = g.kernelW * c;
        for (int ky = 0; ky < g.kernelH; ky++) {
            int s = 0;
            for (; s + 8 <= run; s += 8) {
                int tap = base + ky * rowStep + s;
                int dst = part + (ky * run + s) * f;
                int jb = 0;
                for (; jb + 2 * L <= f; jb += 2 * L) {
                    if (dzInTiles && ky == 0 && s == 0) {
                        GradTiles.grad8x2dz(w, src, tap, out, grad, o, r, jb, db, relu, penalty, scale, partials,
                                dst + jb);
                    } else {
                        GradTiles.grad8x2(w, src, tap, r, jb, partials, dst + jb);
                    }
                }
                if (jb < f) {
                    GradTiles.grad8x1(w, src, tap, r, jb, partials, dst + jb);
                }
            }
            for (; s < run; s++) {
                for (int jb = 0; jb < f; jb += L) {
                    GradTiles.grad1x1(w, src, base + ky * rowStep + s, r, jb, partials, part + (ky * run + s) * f + jb);
                }
            }
        }
    }
}
