package dev.tapgrad.runtime.kernel.conv;

/**
 * Winograd's F(2×2, 3×3) for one image of a 3×3, stride-1 correlation over a channels-last image
 * with a zero border (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2015):
 * each 2×2 block of outputs (a tile) is Aᵀ [Σ_channels (G g Gᵀ) ⊙ (Bᵀ d B)] A of its 4×4 input
 * window d, 16 products per channel and filter where the direct sum takes 36. The kernel is
 * transformed once per {@link #loadKernel} (once per step: the forward and dL/dx each have their
 * own, the flipped kernel for dL/dx); the 16 element-wise products over the channels are 16 small
 * GEMMs [tiles × channels] × [channels × filters], run over blocks of {@link #BLOCK} tiles so that
 * a block's transformed inputs and products stay in the core's cache. dL/dx of a layer is the
 * same computation: the flipped kernel over dL/dz with a border of 2 − pad (VectorImageConv).
 *
 * <p>The geometry here (tiles, blocks, the scratch's planes, {@link #compute}) also serves
 * {@link VectorWinograd4}'s F(4×4, 3×3): tiles of {@link #side} × side outputs from windows of
 * {@link #alpha} × alpha inputs, {@link #xis} products per channel and filter.
 *
 * <p>This class is the portable twin: plain loops along the channels and filters;
 * {@link VectorWinograd} computes the three stages on the Vector API. Both compute every tile in
 * the same fixed order, one image on one thread, so results do not depend on threads. The
 * portable stages are tested (WinogradTest) but not dispatched: on one thread they took 0.58 ms
 * an image for convnet128's 13×13×32 → 64 where PortableImageConv's forward takes 0.08 ms
 * (their loops are not vectorised by C2 as written; the products would have to go through the
 * row kernels of .gemm to compete, which {@link WinogradRows}, the portable path's Winograd, does).
 *
 * <p>Error: each output is the exact result of a computation that rounds a few times per stage,
 * bounded (first order) by γ·(|Aᵀ| Σ_ch (|G||g||Gᵀ| ⊙ |Bᵀ||d||B|) |A|) with γ = (channels + 9)·2⁻²⁴
 * — the transforms' terms are the sums Winograd's magnitudes bound (WinogradTest checks that bound
 * against a float64 reference).
 */
class Winograd {
    /** Tiles per block: a block's transformed inputs and products, 16·BLOCK·(channels + filters) floats, stay in L2. */
    static final int BLOCK = 32;

    /** Tiles per block of this layer: {@link #BLOCK} for F(2×2), else {@link #blockFor}. */
    final int block;
    /** Outputs along each side of a tile: 2 for F(2×2, 3×3), 4 for {@link VectorWinograd4}'s F(4×4, 3×3). */
    final int side;
    /** The transform's points, side + 2 along each side, and their count per tile (the ξ's): 16 or 36. */
    final int alpha;
    final int xis;
    /** Input channels (the GEMMs' reduction) and output channels. */
    final int c;
    final int k;
    /** The image: height, width, its border above and left of it; the output: height, width. */
    private final int h;
    private final int w;
    private final int padTop;
    private final int padLeft;
    final int outH;
    final int outW;
    /** Tiles down and across; the bordered image's rows and row width (2 more than the tiles cover). */
    final int th;
    final int tw;
    final int tiles;
    private final int ph;
    private final int pw;
    /** Whether the tiles read the image in place (no border, and all they read is inside it). */
    private final boolean inPlace;
    /** The transformed kernel, (ξ, channels, filters), its ξ planes {@link #vPlane} apart. */
    final float[] v;
    /**
     * channels · filters plus a cache line: a power-of-two plane (32 · 64 floats, 8 KB) put the
     * kernel transform's 16 or 36 stores of one (channel, filter) vector into one L1 set.
     */
    final int vPlane;
    /** Per slot: the image with its zero border (null when read in place); a block's Bᵀ d B, (16, BLOCK, c); its products (16, BLOCK, k). */
    private final float[][] bordered;
    final float[][] u;
    final float[][] m;
    /**
     * The distance between two ξ's planes in u and m: a block's rows plus one cache line, so that
     * a tile's 16 values of one channel (or filter) vector, a plane apart, fall into different L1
     * sets (with power-of-two planes, 2 or 4 KB apart, all 16 went to one set of 8 ways: the
     * input transform took as long as the products).
     */
    final int uPlane;
    final int mPlane;
    /** Per slot: the image's result, (side·th, side·tw, k): tiles cut at the bottom or right edge compute past the output. */
    final float[][] result;

    Winograd(int channels, int filters, int height, int width, int padTop, int padLeft, int outH, int outW,
            int slots) {
        this(2, channels, filters, height, width, padTop, padLeft, outH, outW, slots);
    }

    /** With tiles of {@code tile} × {@code tile} outputs: the sizes only; the stages are the subclass's for tiles of 4. */
    Winograd(int tile, int channels, int filters, int height, int width, int padTop, int padLeft, int outH, int outW,
            int slots) {
        this.side = tile;
        this.alpha = tile + 2;
        this.xis = alpha * alpha;
        this.c = channels;
        this.k = filters;
        this.h = height;
        this.w = width;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.outH = outH;
        this.outW = outW;
        this.th = (outH + tile - 1) / tile;
        this.tw = (outW + tile - 1) / tile;
        this.tiles = th * tw;
        this.ph = tile * th + 2;
        this.pw = tile * tw + 2;
        this.inPlace = padTop == 0 && padLeft == 0 && ph <= height && pw == width;
        this.vPlane = c * k + 16;
        this.v = new float[xis * vPlane];
        this.bordered = new float[slots][];
        if (!inPlace) {
            for (int s = 0; s < slots; s++) {
                bordered[s] = new float[ph * pw * c];
            }
        }
        this.block = tile == 2 ? BLOCK : blockFor(tiles);
        // rows for the product tiles' rounding: up to 16 rows of a block's last tile (one vector of filters)
        int rows = (block + 15) / 16 * 16;
        this.uPlane = rows * c + 16;
        this.mPlane = rows * k + 16;
        this.u = new float[slots][xis * uPlane];
        this.m = new float[slots][xis * mPlane];
        this.result = new float[slots][tile * tile * tiles * k];
    }

    /**
     * Whether the Vector API's passes take F(2×2, 3×3) for a layer where {@link #vectorTile} does
     * not take F(4×4): 3×3 kernels, strides 1, channels and filters multiples of {@code lanes}, and
     * at least 32 channels; {@code -Dtapgrad.conv.winograd=false} turns it off. Why 32: the
     * products' sums run over the channels, and with 16 (twoconv64's second layer, 16 → 32 on
     * 26×26) F(2×2)'s transforms cost as much as its 2.25 times fewer products save against
     * Row3Tiles' direct tiles (forward 0.037–0.044 vs 0.039–0.040 ms an image); with 32 channels
     * (convnet128's 13×13×32 → 64) the forward took 0.022–0.027 instead of 0.033–0.041 ms (one
     * thread, per layer, on the 2-core AVX-512 machine of bench/README.md).
     */
    static boolean suits(ConvGeometry g, int lanes) {
        return threeByThree(g) && lanes > 0 && g.channels % lanes == 0 && g.filters % lanes == 0
                && g.channels >= 32;
    }

    /**
     * The tile side the Vector API's passes compute one product of a layer with: its forward
     * ({@code in} = channels, {@code out} = filters) or its dL/dx (filters in, channels out).
     * 4, F(4×4, 3×3), where the outputs are a multiple of two vectors and the inputs at least 16:
     * its products then run two vectors of outputs per broadcast, and it beat both F(2×2) and the
     * direct tiles on 16 → 32 over 26×26 and on 32 ↔ 64 over 13×13 (bench/README.md, issue 17).
     * With one vector of outputs (dL/dx of 32 → 16) every multiply-add needs a broadcast of its
     * own, which halves the rate on this machine, so those stay with {@link #suits}: 2 where it
     * holds, else 0, the direct tiles. {@code -Dtapgrad.conv.winograd=false} gives 0 everywhere,
     * {@code -Dtapgrad.conv.winograd.tile=2} never 4.
     */
    static int vectorTile(ConvGeometry g, int in, int out, int lanes) {
        if (!threeByThree(g) || lanes <= 0 || in % lanes != 0 || out % lanes != 0) {
            return 0;
        }
        if (out % (2 * lanes) == 0 && in >= 16 && !"2".equals(System.getProperty("tapgrad.conv.winograd.tile"))) {
            return 4;
        }
        return suits(g, lanes) ? 2 : 0;
    }

    /** A 3×3 kernel at stride 1, with Winograd not turned off ({@code -Dtapgrad.conv.winograd=false}). */
    private static boolean threeByThree(ConvGeometry g) {
        return g.kernelH == 3 && g.kernelW == 3 && g.strideH == 1 && g.strideW == 1
                && !"false".equalsIgnoreCase(System.getProperty("tapgrad.conv.winograd"));
    }

    /** {@link VectorWinograd} (tile 2) or {@link VectorWinograd4} (tile 4) for one image's correlation. */
    static Winograd vector(int tile, int channels, int filters, int height, int width, int padTop, int padLeft,
            int outH, int outW, int slots) {
        return tile == 4 ? new VectorWinograd4(channels, filters, height, width, padTop, padLeft, outH, outW, slots)
                : new VectorWinograd(channels, filters, height, width, padTop, padLeft, outH, outW, slots);
    }

    /**
     * F(4×4)'s tiles per block: an image's tiles in blocks of at most 48, as even as multiples of 4
     * allow (36 tiles: one block, three register tiles of 12; 49: blocks of 28 and 21), so that
     * the product tiles (12, 8, then 4 rows) compute few rows past a block's end.
     */
    static int blockFor(int tiles) {
        int blocks = (tiles + 47) / 48;
        return ((tiles + blocks - 1) / blocks + 3) / 4 * 4;
    }

    /**
     * Takes a (3, 3, channels, filters) kernel: v[ξ = 4a + b] = (G g Gᵀ)[a][b] per channel and
     * filter, with G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].
     */
    void loadKernel(float[] g) {
        transformKernel(g, c * k, v, vPlane);
    }

    /** {@link #loadKernel}'s transform of a (3, 3, n) kernel into t, (16, n): also {@link WinogradRows}'. */
    static void transformKernel(float[] g, int n, float[] t) {
        transformKernel(g, n, t, n);
    }

    /** {@link #transformKernel(float[], int, float[])} with t's ξ planes {@code plane} floats apart. */
    static void transformKernel(float[] g, int n, float[] t, int plane) {
        for (int i = 0; i < n; i++) {
            float g0 = g[i], g1 = g[n + i], g2 = g[2 * n + i];
            float g3 = g[3 * n + i], g4 = g[4 * n + i], g5 = g[5 * n + i];
            float g6 = g[6 * n + i], g7 = g[7 * n + i], g8 = g[8 * n + i];
            // G along ky, per kx: rows a = 0..3 of a 4×3
            float r00 = g0, r01 = g1, r02 = g2;
            float r10 = 0.5f * (g0 + g3 + g6), r11 = 0.5f * (g1 + g4 + g7), r12 = 0.5f * (g2 + g5 + g8);
            float r20 = 0.5f * (g0 - g3 + g6), r21 = 0.5f * (g1 - g4 + g7), r22 = 0.5f * (g2 - g5 + g8);
            float r30 = g6, r31 = g7, r32 = g8;
            // then Gᵀ along kx
            t[i] = r00;
            t[plane + i] = 0.5f * (r00 + r01 + r02);
            t[2 * plane + i] = 0.5f * (r00 - r01 + r02);
            t[3 * plane + i] = r02;
            t[4 * plane + i] = r10;
            t[5 * plane + i] = 0.5f * (r10 + r11 + r12);
            t[6 * plane + i] = 0.5f * (r10 - r11 + r12);
            t[7 * plane + i] = r12;
            t[8 * plane + i] = r20;
            t[9 * plane + i] = 0.5f * (r20 + r21 + r22);
            t[10 * plane + i] = 0.5f * (r20 - r21 + r22);
            t[11 * plane + i] = r22;
            t[12 * plane + i] = r30;
            t[13 * plane + i] = 0.5f * (r30 + r31 + r32);
            t[14 * plane + i] = 0.5f * (r30 - r31 + r32);
            t[15 * plane + i] = r32;
        }
    }

    /** Row width (pixels) of what {@link #compute} returns: side · tiles across. */
    final int resultWidth() {
        return side * tw;
    }

    /**
     * One image (at {@code x[base …]}, height × width × channels) correlated with the loaded
     * kernel: the slot's result, (side·th, side·tw, filters), of which the first outH rows and outW
     * pixels of each are the output.
     */
    final float[] compute(float[] x, int base, int slot) {
        float[] src = x;
        int rowPixels = w;
        if (!inPlace) {
            src = bordered(x, base, slot);
            base = 0;
            rowPixels = pw;
        }
        float[] ub = u[slot], mb = m[slot], res = result[slot];
        for (int t0 = 0; t0 < tiles; t0 += block) {
            int n = Math.min(block, tiles - t0);
            inputTransform(src, base, rowPixels, t0, n, ub);
            products(ub, n, mb);
            outputTransform(mb, t0, n, res);
        }
        return res;
    }

    /** The slot's bordered copy of the image; its border stays zero from allocation. */
    private float[] bordered(float[] x, int base, int slot) {
        float[] dst = bordered[slot];
        int rows = Math.min(h, ph - padTop);
        int run = Math.min(w, pw - padLeft) * c;
        for (int iy = 0; iy < rows; iy++) {
            System.arraycopy(x, base + iy * w * c, dst, ((iy + padTop) * pw + padLeft) * c, run);
        }
        return dst;
    }

    /**
     * Bᵀ d B of tiles [t0, t0 + n) into {@code ub} at (ξ, tile − t0, channel), with
     * Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]: along the rows, then the columns.
     */
    void inputTransform(float[] src, int base, int rowPixels, int t0, int n, float[] ub) {
        int cc = c, rs = rowPixels * cc, plane = uPlane;
        for (int tl = 0; tl < n; tl++) {
            int t = t0 + tl;
            int p = base + (2 * (t / tw) * rowPixels + 2 * (t % tw)) * cc;
            int d = tl * cc;
            // Column j of Bᵀ d into row j's slots, then each row i of it along the columns: the
            // channels innermost, so that C2 vectorises both passes.
            for (int j = 0; j < 4; j++) {
                int e = p + j * cc, o = j * plane + d;
                for (int ch = 0; ch < cc; ch++) {
                    float d0 = src[e + ch], d1 = src[e + rs + ch], d2 = src[e + 2 * rs + ch], d3 = src[e + 3 * rs + ch];
                    ub[o + ch] = d0 - d2;
                    ub[o + 4 * plane + ch] = d1 + d2;
                    ub[o + 8 * plane + ch] = d2 - d1;
                    ub[o + 12 * plane + ch] = d1 - d3;
                }
            }
            for (int i = 0; i < 4; i++) {
                int r = i * 4 * plane + d;
                for (int ch = 0; ch < cc; ch++) {
                    float a0 = ub[r + ch], a1 = ub[r + plane + ch], a2 = ub[r + 2 * plane + ch], a3 = ub[r + 3 * plane + ch];
                    ub[r + ch] = a0 - a2;
                    ub[r + plane + ch] = a1 + a2;
                    ub[r + 2 * plane + ch] = a2 - a1;
                    ub[r + 3 * plane + ch] = a1 - a3;
                }
            }
        }
    }

    /** The 16 products: mb[ξ, tile, j] = Σ_ch ub[ξ, tile, ch] · v[ξ, ch, j], the channels in order. */
    void products(float[] ub, int n, float[] mb) {
        int cc = c, kk = k;
        for (int xi = 0; xi < 16; xi++) {
            for (int tl = 0; tl < n; tl++) {
                int o = xi * mPlane + tl * kk;
                int a = xi * uPlane + tl * cc;
                java.util.Arrays.fill(mb, o, o + kk, 0f);
                for (int ch = 0; ch < cc; ch++) {
                    float x = ub[a + ch];
                    int vi = xi * vPlane + ch * kk;
                    for (int j = 0; j < kk; j++) {
                        mb[o + j] += x * v[vi + j];
                    }
                }
            }
        }
    }

    /** Aᵀ m A of tiles [t0, t0 + n) into {@code res}, with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]. */
    void outputTransform(float[] mb, int t0, int n, float[] res) {
        int kk = k, plane = mPlane, rw = 2 * tw * kk;
        for (int tl = 0; tl < n; tl++) {
            int t = t0 + tl;
            int o = (2 * (t / tw) * 2 * tw + 2 * (t % tw)) * kk;
            int s = tl * kk;
            for (int j = 0; j < kk; j++) {
                int q = s + j;
                float s00 = mb[q] + mb[q + 4 * plane] + mb[q + 8 * plane];
                float s01 = mb[q + plane] + mb[q + 5 * plane] + mb[q + 9 * plane];
                float s02 = mb[q + 2 * plane] + mb[q + 6 * plane] + mb[q + 10 * plane];
                float s03 = mb[q + 3 * plane] + mb[q + 7 * plane] + mb[q + 11 * plane];
                float s10 = mb[q + 4 * plane] - mb[q + 8 * plane] - mb[q + 12 * plane];
                float s11 = mb[q + 5 * plane] - mb[q + 9 * plane] - mb[q + 13 * plane];
                float s12 = mb[q + 6 * plane] - mb[q + 10 * plane] - mb[q + 14 * plane];
                float s13 = mb[q + 7 * plane] - mb[q + 11 * plane] - mb[q + 15 * plane];
                res[o + j] = s00 + s01 + s02;
                res[o + kk + j] = s01 - s02 - s03;
                res[o + rw + j] = s10 + s11 + s12;
                res[o + rw + kk + j] = s11 - s12 - s13;
            }
        }
    }
}
