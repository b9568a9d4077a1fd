package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;

/**
 * Winograd's F(4×4, 3×3) on the Vector API (Lavin and Gray, 2015, with the points 0, ±1, ±2):
 * each 4×4 block of outputs is Aᵀ [Σ_channels (G g Gᵀ) ⊙ (Bᵀ d B)] A of its 6×6 input window, 36
 * products per channel and filter where the direct sum takes 144 and F(2×2, 3×3) 64. The products
 * are {@link VectorWinograd}'s register tiles over 36 ξ's instead of 16; the transforms are this
 * class's, vectorised along the channels (input) and the filters (output) as there.
 *
 * <p>Why a second tile size: with 16 channels (twoconv64's second layer) F(2×2)'s transforms cost
 * as much as its products save against the direct tiles; F(4×4) needs 1.8 times fewer products per
 * output than F(2×2) and fewer transform loads and stores per output too (36 values in for 16
 * outputs, against 4 × 16), so it beats the direct tiles where F(2×2) ties with them.
 *
 * <p>Accuracy: the kernel transform rounds each coefficient G[a][ky]·G[b][kx] once and its sum
 * of nine terms nine times, the input and output transforms at most 3 times along each axis
 * (WinogradTest bounds both tile sizes by their transforms' magnitudes against a float64
 * correlation). The larger points make F(4×4) less accurate than F(2×2): 1–3·10⁻⁵ against 1·10⁻⁶
 * on outputs of magnitude 4 (bench/README.md, 2026-12-08).
 */
final class VectorWinograd4 extends VectorWinograd {
    /** G, 6×3: the kernel transform's rows. */
    private static final double[][] G = {
        {1 / 4d, 0, 0}, {-1 / 6d, -1 / 6d, -1 / 6d}, {-1 / 6d, 1 / 6d, -1 / 6d},
        {1 / 24d, 1 / 12d, 1 / 6d}, {1 / 24d, -1 / 12d, 1 / 6d}, {0, 0, 1}};
    /** Per ξ = 6a + b, the nine taps' (ky, kx) coefficients G[a][ky] · G[b][kx], each rounded once to float. */
    private static final float[] COEFFICIENTS = new float[36 * 9];

    static {
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        COEFFICIENTS[(a * 6 + b) * 9 + ky * 3 + kx] = (float) (G[a][ky] * G[b][kx]);
                    }
                }
            }
        }
    }

    VectorWinograd4(int channels, int filters, int height, int width, int padTop, int padLeft, int outH, int outW,
            int slots) {
        super(4, channels, filters, height, width, padTop, padLeft, outH, outW, slots);
    }

    /**
     * Takes a (3, 3, channels, filters) kernel: v[ξ = 6a + b] = (G g Gᵀ)[a][b] = Σ_(ky, kx)
     * G[a][ky] G[b][kx] g[ky][kx] per channel and filter, plane by plane, vectorised along the
     * (channel, filter) pairs (a multiple of the lanes), the nine taps in order by multiply-adds.
     * Once per step and pass on the calling thread, so it must be cheap, and allocation-free: a
     * form that kept row vectors of G g across a loop over G's rows took C2's boxed fallback
     * (440 KB a call).
     */
    @Override
    void loadKernel(float[] g) {
        int n = c * k, plane = vPlane;
        for (int xi = 0; xi < 36; xi++) {
            int t = xi * 9;
            FloatVector k0 = FloatVector.broadcast(S, COEFFICIENTS[t]), k1 = FloatVector.broadcast(S, COEFFICIENTS[t + 1]);
            FloatVector k2 = FloatVector.broadcast(S, COEFFICIENTS[t + 2]), k3 = FloatVector.broadcast(S, COEFFICIENTS[t + 3]);
            FloatVector k4 = FloatVector.broadcast(S, COEFFICIENTS[t + 4]), k5 = FloatVector.broadcast(S, COEFFICIENTS[t + 5]);
            FloatVector k6 = FloatVector.broadcast(S, COEFFICIENTS[t + 6]), k7 = FloatVector.broadcast(S, COEFFICIENTS[t + 7]);
            FloatVector k8 = FloatVector.broadcast(S, COEFFICIENTS[t + 8]);
            for (int i = 0, o = xi * plane; i < n; i += L, o += L) {
                FloatVector sum = FloatVector.fromArray(S, g, i).mul(k0);
                sum = FloatVector.fromArray(S, g, n + i).fma(k1, sum);
                sum = FloatVector.fromArray(S, g, 2 * n + i).fma(k2, sum);
                sum = FloatVector.fromArray(S, g, 3 * n + i).fma(k3, sum);
                sum = FloatVector.fromArray(S, g, 4 * n + i).fma(k4, sum);
                sum = FloatVector.fromArray(S, g, 5 * n + i).fma(k5, sum);
                sum = FloatVector.fromArray(S, g, 6 * n + i).fma(k6, sum);
                sum = FloatVector.fromArray(S, g, 7 * n + i).fma(k7, sum);
                FloatVector.fromArray(S, g, 8 * n + i).fma(k8, sum).intoArray(v, o);
            }
        }
    }

    /**
     * Bᵀ d B of tiles [t0, t0 + n) into {@code ub} at (ξ, tile − t0, channel): Bᵀ d column by
     * column into the ξ planes (row r of it at ξ = 6r + q), then each of its rows along the columns
     * in place.
     */
    @Override
    void inputTransform(float[] src, int base, int rowPixels, int t0, int n, float[] ub) {
        int cc = c, rs = rowPixels * cc, plane = uPlane, across = tw;
        for (int tl = 0; tl < n; tl++) {
            int t = t0 + tl;
            int p0 = base + (4 * (t / across) * rowPixels + 4 * (t % across)) * cc;
            for (int cb = 0; cb < cc; cb += L) {
                int d = tl * cc + cb;
                for (int q = 0; q < 6; q++) {
                    bt(src, p0 + q * cc + cb, rs, ub, d + q * plane, 6 * plane);
                }
                for (int r = 0; r < 6; r++) {
                    bt(ub, d + 6 * r * plane, plane, ub, d + 6 * r * plane, plane);
                }
            }
        }
    }

    /**
     * Bᵀ x of the six vectors {@code in[i0 + i·is]} into {@code out[o0 + r·os]}, all read before
     * any is written (so in place is allowed), with Bᵀ's rows [4, 0, −5, 0, 1, 0],
     * [0, −4, −4, 1, 1, 0], [0, 4, −4, −1, 1, 0], [0, −2, −1, 2, 1, 0], [0, 2, −1, −2, 1, 0],
     * [0, 4, 0, −5, 0, 1].
     */
    private static void bt(float[] in, int i0, int is, float[] out, int o0, int os) {
        FloatVector x0 = FloatVector.fromArray(S, in, i0), x1 = FloatVector.fromArray(S, in, i0 + is);
        FloatVector x2 = FloatVector.fromArray(S, in, i0 + 2 * is), x3 = FloatVector.fromArray(S, in, i0 + 3 * is);
        FloatVector x4 = FloatVector.fromArray(S, in, i0 + 4 * is), x5 = FloatVector.fromArray(S, in, i0 + 5 * is);
        FloatVector four = FloatVector.broadcast(S, 4f), minusFour = FloatVector.broadcast(S, -4f);
        FloatVector minusFive = FloatVector.broadcast(S, -5f), two = FloatVector.broadcast(S, 2f);
        FloatVector minusTwo = FloatVector.broadcast(S, -2f);
        FloatVector s12 = x1.add(x2), s34 = x3.add(x4), d12 = x1.sub(x2), d43 = x4.sub(x3);
        FloatVector d31 = x3.sub(x1), d42 = x4.sub(x2);
        x2.fma(minusFive, x0.fma(four, x4)).intoArray(out, o0);
        s12.fma(minusFour, s34).intoArray(out, o0 + os);
        d12.fma(four, d43).intoArray(out, o0 + 2 * os);
        d31.fma(two, d42).intoArray(out, o0 + 3 * os);
        d31.fma(minusTwo, d42).intoArray(out, o0 + 4 * os);
        x3.fma(minusFive, x1.fma(four, x5)).intoArray(out, o0 + 5 * os);
    }

    /**
     * Aᵀ m A of tiles [t0, t0 + n) into {@code res}: Aᵀ m column by column, its four rows written
     * over m's first four (row i at ξ = 6i + q), then each row along the columns into the tile's
     * four output pixels.
     */
    @Override
    void outputTransform(float[] mb, int t0, int n, float[] res) {
        int kk = k, plane = mPlane, rw = 4 * tw * kk, across = tw;
        for (int tl = 0; tl < n; tl++) {
            int t = t0 + tl;
            int o0 = (4 * (t / across) * 4 * across + 4 * (t % across)) * kk;
            for (int jb = 0; jb < kk; jb += L) {
                int q0 = tl * kk + jb;
                for (int q = 0; q < 6; q++) {
                    at(mb, q0 + q * plane, 6 * plane, mb, q0 + q * plane, 6 * plane);
                }
                for (int i = 0; i < 4; i++) {
                    at(mb, q0 + 6 * i * plane, plane, res, o0 + jb + i * rw, kk);
                }
            }
        }
    }

    /**
     * Aᵀ x of the six vectors {@code in[i0 + i·is]} into {@code out[o0 + r·os]}, r = 0..3, all
     * read before any is written, with Aᵀ's rows [1, 1, 1, 1, 1, 0], [0, 1, −1, 2, −2, 0],
     * [0, 1, 1, 4, 4, 0], [0, 1, −1, 8, −8, 1].
     */
    private static void at(float[] in, int i0, int is, float[] out, int o0, int os) {
        FloatVector x0 = FloatVector.fromArray(S, in, i0), x1 = FloatVector.fromArray(S, in, i0 + is);
        FloatVector x2 = FloatVector.fromArray(S, in, i0 + 2 * is), x3 = FloatVector.fromArray(S, in, i0 + 3 * is);
        FloatVector x4 = FloatVector.fromArray(S, in, i0 + 4 * is), x5 = FloatVector.fromArray(S, in, i0 + 5 * is);
        FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        FloatVector s12 = x1.add(x2), d12 = x1.sub(x2), s34 = x3.add(x4), d34 = x3.sub(x4);
        x0.add(s12).add(s34).intoArray(out, o0);
        d34.fma(two, d12).intoArray(out, o0 + os);
        s34.fma(four, s12).intoArray(out, o0 + 2 * os);
        d34.fma(eight, d12).add(x5).intoArray(out, o0 + 3 * os);
    }
}
