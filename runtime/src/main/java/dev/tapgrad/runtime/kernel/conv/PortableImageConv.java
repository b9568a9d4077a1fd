package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.gemm.RowGemm;
import java.util.Arrays;

/**
 * {@link ImageConv}'s passes for stride-1 layers in plain Java, products over rows that C2's
 * auto-vectoriser takes ({@link RowGemm}): no packed panel, no transposed store, no col2im.
 *
 * <p>Forward: the image is copied channel-planar with its zero border ({@code c·PP + y·PW + x},
 * PW = OW + kw − 1), so that tap (ky, kx, c) of the "virtual" pixels q = oy·PW + ox is one
 * contiguous run of the planar image; the runs of a few dozen taps at a time are copied into rows
 * of their own (C2 vectorises a loop only where all its arrays are indexed alike) and multiplied
 * by the kernel's transpose onto the (filters, virtual pixels) product; the pixels at ox ≥ OW are
 * computed and dropped (2 of 26 for a 3×3 kernel over 28 columns). dL/dx is the same product over
 * dL/dz copied planar with a border of kh − 1 (kw − 1), with the kernel flipped and its channel and
 * filter axes swapped, as {@code VectorImageConv} computes it. The kernel gradient is dL/dzᵀ times
 * one patch row per pixel (rows of kh·kw·channels: neither of its axes is long).
 *
 * <p>Sums: forward over the taps in the kernel's row order, then the bias, then the floor, and the
 * kernel gradient over the pixels in order, as {@link ImageConv}'s GEMMs sum (on FMA hardware the
 * same bits); dL/dx over the flipped taps, then onto gx (the order of the Vector API's passes, not
 * ImageConv's patch gradients and col2im).
 */
final class PortableImageConv extends ImageConv {
    /** Taps copied into rows and multiplied at a time: 32 rows of a 28-wide image stay in L2 beside the product. */
    private static final int CHUNK = 32;
    /**
     * Virtual pixels a product row should reach by taking several images at once: rows of a
     * 13×13 image (141 pixels) leave C2's vector loop mostly in its scalar pre- and post-loops.
     */
    private static final int ROW_TARGET = 768;

    /** Images per product: their planes side by side, so a tap's runs of all of them are one run. */
    private final int group;
    private final int c;
    /** Forward: the planar image's row width and plane size, the virtual pixels, the taps' offsets in the planar image. */
    private final int pw;
    private final int pp;
    private final int virtualPixels;
    private final int[] offsets;
    /** dL/dx: the same for dL/dz planar with a border of kh − 1 (kw − 1), over the input's virtual pixels. */
    private final int pw2;
    private final int pp2;
    private final int virtualPixels2;
    private final int[] offsets2;
    /** The flipped kernel, (kh·kw·filters, channels): dL/dx's taps (ky', kx', filter) in order. */
    private final float[] flipped;
    /** Per slot, allocated together on first use: planar image, planar dL/dz, tap rows, product rows, dL/dx rows, patch rows, kernel-gradient rows. */
    private final float[][] planar;
    private final float[][] planarGrad;
    private final float[][][] tapRows;
    private final float[][][] productRows;
    private final float[][][] inputRows;
    private final float[][][] patchRows;
    private final float[][][] gradientRows;
    /** Per slot: one output pixel's filters, in finishRows. */
    private final float[][] pixelRow;
    /** Winograd's forward and dL/dx ({@link WinogradRows#suits}), or null. */
    private final WinogradRows wino;
    private final WinogradRows winoGrad;

    PortableImageConv(ConvGeometry geometry, int slots) {
        this(geometry, slots, WinogradRows.suits(geometry));
    }

    /** With {@code winograd}, the forward and dL/dx as {@link WinogradRows} (3×3 kernels only). */
    PortableImageConv(ConvGeometry geometry, int slots, boolean winograd) {
        super(geometry, slots);
        if (geometry.strideH != 1 || geometry.strideW != 1) {
            throw new IllegalArgumentException("PortableImageConv: strides must be 1");
        }
        this.c = geometry.channels;
        this.pw = g.outW + g.kernelW - 1;
        this.pp = (g.outH + g.kernelH - 1) * pw;
        this.virtualPixels = (g.outH - 1) * pw + g.outW;
        this.group = winograd ? WinogradRows.imagesPerComputation(geometry) : Math.max(1, Math.min(8, 1 + (ROW_TARGET - virtualPixels) / pp));
        this.offsets = offsets(g.kernelH, g.kernelW, c, pw, group * pp);
        this.pw2 = g.width + g.kernelW - 1;
        this.pp2 = (g.height + g.kernelH - 1) * pw2;
        this.virtualPixels2 = (g.height - 1) * pw2 + g.width;
        this.offsets2 = offsets(g.kernelH, g.kernelW, f, pw2, group * pp2);
        this.flipped = new float[patch * f];
        this.planar = new float[slots][];
        this.planarGrad = new float[slots][];
        this.tapRows = new float[slots][][];
        this.productRows = new float[slots][][];
        this.inputRows = new float[slots][][];
        this.patchRows = new float[slots][][];
        this.gradientRows = new float[slots][][];
        this.pixelRow = new float[slots][];
        this.wino = winograd ? WinogradRows.forward(geometry, group, slots) : null;
        this.winoGrad = winograd ? WinogradRows.inputGradient(geometry, group, slots) : null;
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

    /** Whether these passes can compute a layer: strides 1 ({@code -Dtapgrad.conv.rows=false} turns them off). */
    static boolean suits(ConvGeometry geometry) {
        return geometry.strideH == 1 && geometry.strideW == 1
                && !"false".equalsIgnoreCase(System.getProperty("tapgrad.conv.rows"));
    }

    @Override
    public int imagesPerCall() {
        return group;
    }

    @Override
    public void loadKernel(float[] k) {
        super.loadKernel(k);
        flip(k, flipped);
        if (wino != null) {
            wino.loadKernel(k);
            winoGrad.loadKernel(flipped);
        }
    }

    @Override
    public boolean winograd() {
        return wino != null;
    }

    /** The slot's buffers, allocated back to back on first use so that their rows share an alignment. */
    private void ensure(int slot) {
        if (pixelRow[slot] != null) {
            return;
        }
        patchRows[slot] = RowGemm.rows(pixels, patch);
        gradientRows[slot] = RowGemm.rows(f, patch);
        pixelRow[slot] = new float[f + 16];
        if (wino != null) {
            return;
        }
        planar[slot] = new float[c * group * pp];
        planarGrad[slot] = new float[f * group * pp2];
        int n = (group - 1) * pp + virtualPixels, n2 = (group - 1) * pp2 + virtualPixels2;
        tapRows[slot] = RowGemm.rows(CHUNK, Math.max(n, n2));
        productRows[slot] = RowGemm.rows(f, n);
        inputRows[slot] = RowGemm.rows(c, n2);
    }

    @Override
    public void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums) {
        ensure(slot);
        if (wino != null) {
            wino.forward(x, bias, out, floor, penalty, from, to, slot, penaltySums, penaltyPart[slot]);
            return;
        }
        float[] pl = planar[slot];
        float[][] taps = tapRows[slot];
        float[][] product = productRows[slot];
        for (int first = from; first < to; first += group) {
            int images = Math.min(group, to - first);
            for (int i = 0; i < images; i++) {
                toPlanar(x, first + i, i * pp, pl);
            }
            // product[j][q] = Σ_t kernel[t·f + j] · pl[offsets[t] + q].
            implicitProduct(pl, offsets, (images - 1) * pp + virtualPixels, kernel, 1, f, taps, product, f);
            for (int i = 0; i < images; i++) {
                int image = first + i;
                double s = finishRows(product, i * pp, bias, out, image * pixels * f, floor, penalty, slot);
                if (penalty != DirectConv.NO_PENALTY) {
                    penaltySums[image] = s;
                }
            }
        }
    }

    /**
     * {@code out[i][0, n) = Σ_t a[i·ai + t·ak] · pl[offs[t] + q]} for i &lt; m, over the taps in order:
     * {@link #CHUNK} taps' runs copied into rows, then multiplied onto out.
     */
    private static void implicitProduct(float[] pl, int[] offs, int n, float[] a, int ai, int ak, float[][] taps,
            float[][] out, int m) {
        for (int kb = 0; kb < offs.length; kb += CHUNK) {
            int ke = Math.min(offs.length, kb + CHUNK);
            for (int t = kb; t < ke; t++) {
                System.arraycopy(pl, offs[t], taps[t - kb], 0, n);
            }
            RowGemm.multiply(m, n, ke - kb, a, kb * ak, ai, ak, taps, out, kb > 0);
        }
    }

    /** One image channels-last into its plane (from {@code plane} on in each channel's run of planes); borders stay zero. */
    private void toPlanar(float[] x, int image, int plane, float[] pl) {
        int cs = group * pp;
        int h = g.height, w = g.width;
        int src = image * h * w * c;
        for (int y = 0; y < h; y++) {
            int dst = plane + (y + g.padTop) * pw + g.padLeft;
            for (int xx = 0; xx < w; xx++, src += c) {
                for (int ch = 0, d = dst + xx; ch < c; ch++, d += cs) {
                    pl[d] = x[src + ch];
                }
            }
        }
    }

    /** {@link #finish} from the (filters, virtual pixels) product rows: max(product + bias, floor), penalty per filter in double. */
    private double finishRows(float[][] product, int plane, float[] bias, float[] out, int o, float floor, int penalty,
            int slot) {
        double[] pa = penaltyPart[slot];
        Arrays.fill(pa, 0);
        // Bias and floor along the product rows, where C2 vectorises them (Math.max is a blend
        // sequence when scalar); the transposition into channels-last out is then plain copies.
        for (int j = 0; j < f; j++) {
            biasAndFloor(product[j], plane, plane + virtualPixels, bias[j], floor);
        }
        // Each pixel's filters gathered into a row of their own, so that the penalty's loops over
        // it are vectorised too (C2 leaves a loop over out at an offset scalar).
        float[] px = pixelRow[slot];
        for (int p = 0; p < pixels; p++) {
            int v = plane + p / g.outW * pw + p % g.outW;
            for (int j = 0; j < f; j++) {
                px[j] = product[j][v];
            }
            System.arraycopy(px, 0, out, o + p * f, f);
            if (penalty == DirectConv.SQUARE) {
                for (int j = 0; j < f; j++) {
                    float y = px[j];
                    pa[j] += y * y;
                }
            } else if (penalty == DirectConv.ABS) {
                for (int j = 0; j < f; j++) {
                    pa[j] += Math.abs(px[j]);
                }
            }
        }
        double s = 0;
        for (int j = 0; j < f; j++) {
            s += pa[j];
        }
        return s;
    }

    /** {@code row[v] = max(row[v] + b, floor)} for v in [from, to): the bias, then the floor, as {@link #finish} orders them. */
    private static void biasAndFloor(float[] row, int from, int to, float b, float floor) {
        for (int v = from; v < to; v++) {
            row[v] = Math.max(row[v] + b, floor);
        }
    }

    @Override
    public void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu, int penalty,
            float scale, int from, int to, int slot, float[] partials) {
        ensure(slot);
        float[] r = result[slot];
        float[] db = biasPart[slot];
        float[][] rows = patchRows[slot];
        float[][] dk = gradientRows[slot];
        for (int image = from; image < to; image++) {
            int i = (image - from) % group;
            portableDz(out, grad, image * pixels * f, r, db, relu, penalty, scale, slot);
            patches(x, image, rows);
            // dk[j][t] = Σ_p r[p·f + j] · rows[p][t].
            RowGemm.multiply(f, patch, pixels, r, 0, 1, f, rows, dk, false);
            int part = image * (patch * f + f);
            transposeInto(dk, partials, part);
            System.arraycopy(db, 0, partials, part + patch * f, f);
            if (gx != null && winoGrad != null) {
                winoGrad.load(r, 0, i, slot);
                if (i == group - 1 || image == to - 1) {
                    winoGrad.compute(i + 1, null, 0f, slot);
                    int size = g.height * g.width * c;
                    for (int k = 0; k <= i; k++) {
                        winoGrad.store(k, gx, (image - i + k) * size, accumulate, DirectConv.NO_PENALTY, null, slot);
                    }
                }
            } else if (gx != null) {
                planarGradient(r, i * pp2, planarGrad[slot]);
                if (i == group - 1 || image == to - 1) {
                    inputGradient(image - i, i + 1, gx, accumulate, slot);
                }
            }
        }
    }

    /**
     * {@code partials[part + t·f + j] = dk[j][t]}: four filter rows at a time, read along t, so that
     * each output row of f values gets four neighbouring values per pass (measured, JDK 17, f = 64
     * by 288 taps: about twice as fast as a loop over j per t, which loads a row per value).
     */
    private void transposeInto(float[][] dk, float[] partials, int part) {
        int j = 0;
        for (; j + 4 <= f; j += 4) {
            float[] r0 = dk[j], r1 = dk[j + 1], r2 = dk[j + 2], r3 = dk[j + 3];
            for (int t = 0, d = part + j; t < patch; t++, d += f) {
                partials[d] = r0[t];
                partials[d + 1] = r1[t];
                partials[d + 2] = r2[t];
                partials[d + 3] = r3[t];
            }
        }
        for (; j < f; j++) {
            float[] row = dk[j];
            for (int t = 0, d = part + j; t < patch; t++, d += f) {
                partials[d] = row[t];
            }
        }
    }

    /**
     * One patch row per output pixel of image {@code image}, as {@link ConvGeometry#gather} writes
     * them: pixels whose patch is inside the image by one copy per kernel row (kw·channels
     * contiguous values), the others by gather.
     */
    private void patches(float[] x, int image, float[][] rows) {
        int kh = g.kernelH, kw = g.kernelW, w = g.width, run = kw * c;
        for (int p = 0; p < pixels; p++) {
            int iy0 = p / g.outW - g.padTop;
            int ix0 = p % g.outW - g.padLeft;
            if (iy0 < 0 || ix0 < 0 || iy0 + kh > g.height || ix0 + kw > w) {
                g.gather(x, image, p / g.outW, p % g.outW, rows[p]);
                continue;
            }
            float[] row = rows[p];
            for (int ky = 0, src = ((image * g.height + iy0) * w + ix0) * c; ky < kh; ky++, src += w * c) {
                System.arraycopy(x, src, row, ky * run, run);
            }
        }
    }

    /** dL/dz of one image into its plane of the planar dL/dz, with a border of kh − 1 − padTop above (kw − 1 − padLeft left). */
    private void planarGradient(float[] r, int plane, float[] pg) {
        int top = g.kernelH - 1 - g.padTop, left = g.kernelW - 1 - g.padLeft;
        int cs = group * pp2;
        for (int p = 0, src = 0; p < pixels; p++, src += f) {
            int d = plane + (p / g.outW + top) * pw2 + p % g.outW + left;
            for (int j = 0; j < f; j++, d += cs) {
                pg[d] = r[src + j];
            }
        }
    }

    /**
     * Adds dL/dx of images [first, first + images) to gx from their planar dL/dz (writes it
     * without {@code accumulate}): the flipped kernel over it (dL/dx's virtual pixels, channel
     * rows), then each pixel's sum onto gx.
     */
    private void inputGradient(int first, int images, float[] gx, boolean accumulate, int slot) {
        float[][] in = inputRows[slot];
        implicitProduct(planarGrad[slot], offsets2, (images - 1) * pp2 + virtualPixels2, flipped, 1, c, tapRows[slot],
                in, c);
        int w = g.width;
        for (int i = 0; i < images; i++) {
            for (int y = 0, dst = (first + i) * g.height * w * c; y < g.height; y++) {
                for (int xx = 0; xx < w; xx++, dst += c) {
                    int v = i * pp2 + y * pw2 + xx;
                    if (accumulate) {
                        for (int ch = 0; ch < c; ch++) {
                            gx[dst + ch] += in[ch][v];
                        }
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            gx[dst + ch] = in[ch][v];
                        }
                    }
                }
            }
        }
    }
}
