package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.kernel.Platform;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Winograd F(2×2, 3×3), the portable stages and the Vector API's, and F(4×4, 3×3) on the Vector
 * API, against a float64 correlation by naive loops, within a bound derived from the transforms.
 * Each output is computed as Aᵀ [Σ_ch (G g Gᵀ) ⊙ (Bᵀ d B)] A with, on the way to it, F(2×2): at
 * most 4 roundings in the kernel transform (two additions along each axis; the halves are exact),
 * 2 in the input transform (one addition along each axis), 1 in a product, {@code channels} in the
 * sum over the channels (one per multiply-add, or product and addition) and 4 in the output
 * transform (two additions along each axis): channels + 11 in all. F(4×4): each coefficient
 * G[a][ky]·G[b][kx] rounded once and their nine-term sum nine times in the kernel transform (10),
 * at most 3 along each axis of the input transform (6) and of the output transform (6), 1 in a
 * product and {@code channels} in the sum: channels + 23. The first-order bound of such a computation is
 * γ·|Aᵀ| [Σ_ch (|G||g||Gᵀ|) ⊙ (|Bᵀ||d||B|)] |A| with γ = roundings·2⁻²⁴ (Higham, Accuracy
 * and Stability of Numerical Algorithms, §3.1 and §3.5), the magnitudes computed here in double;
 * a percent is added for the second-order terms. Note the bound is in the transforms' magnitudes,
 * not the direct sum's Σ|x·w|, which they exceed several times (F(4×4)'s by more than F(2×2)'s):
 * Winograd is less accurate than the direct sum, and this says by how much at most.
 */
class WinogradTest {
    private static final double U = 0x1p-24;

    /** One tile size's matrices G, Bᵀ, Aᵀ and its rounding count beyond the channels. */
    private record Form(double[][] g, double[][] bt, double[][] at, int roundings) {
        int side() {
            return at.length;
        }

        int alpha() {
            return bt.length;
        }
    }

    private static final Form F2 = new Form(
            new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
            new double[][] {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
            new double[][] {{1, 1, 1, 0}, {0, 1, -1, -1}}, 11);
    private static final Form F4 = new Form(
            new double[][] {{1 / 4d, 0, 0}, {-1 / 6d, -1 / 6d, -1 / 6d}, {-1 / 6d, 1 / 6d, -1 / 6d},
                {1 / 24d, 1 / 12d, 1 / 6d}, {1 / 24d, -1 / 12d, 1 / 6d}, {0, 0, 1}},
            new double[][] {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
                {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}},
            new double[][] {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}}, 23);

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, border {4}/{5}, out {6}x{7}")
    @CsvSource({
        "13, 13, 32, 64, 0, 0, 11, 11",   // convnet128's second layer: tiles cut at the bottom and right
        "12, 10, 32, 32, 0, 0, 10, 8",    // even: read in place
        "7, 9, 32, 16, 1, 1, 7, 9",       // SAME: a border of 1, odd sizes; one vector of filters (16 tiles x 1)
        "5, 6, 16, 48, 2, 2, 7, 8",       // dL/dx's form: a border of 2, the full correlation; a pair and a single vector
        "3, 3, 32, 32, 1, 1, 3, 3",       // one tile row, cut
        "40, 4, 16, 16, 1, 1, 40, 4",     // more tiles than a block (40), few across
        "26, 26, 16, 32, 0, 0, 24, 24",   // twoconv64's second layer: F(4×4) 36 tiles, three register tiles of 12
        "11, 11, 64, 32, 2, 2, 13, 13",   // convnet128's dL/dx: F(2×2) blocks of 32 and 17 (12 + 4 + 4), F(4×4) 16 tiles
        "24, 24, 32, 16, 2, 2, 26, 26",   // twoconv64's dL/dx form: F(4×4) 49 tiles in blocks of 28 and 21, one vector
        "30, 18, 16, 64, 1, 1, 30, 18"})  // F(4×4) 40 tiles (12 + 12 + 12 + 4), filters in two pairs of vectors
    void matchesTheFloat64CorrelationWithinTheTransformsBound(int h, int w, int c, int k, int padTop, int padLeft,
            int outH, int outW) {
        Random r = new Random(h * 31 + w * 7 + c + k);
        int batch = 2;
        float[] x = new float[batch * h * w * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] kernel = new float[9 * c * k];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) (r.nextGaussian() / Math.sqrt(9 * c));
        }
        check(new Winograd(c, k, h, w, padTop, padLeft, outH, outW, 2), F2, "portable", x, kernel, batch, h, w,
                padTop, padLeft);
        if (VectorConvs.LANES > 0 && c % VectorConvs.LANES == 0 && k % VectorConvs.LANES == 0) {
            check(new VectorWinograd(c, k, h, w, padTop, padLeft, outH, outW, 2), F2, "vector", x, kernel, batch, h,
                    w, padTop, padLeft);
            check(new VectorWinograd4(c, k, h, w, padTop, padLeft, outH, outW, 2), F4, "vector F(4x4)", x, kernel,
                    batch, h, w, padTop, padLeft);
        }
    }

    private static void check(Winograd wino, Form form, String path, float[] x, float[] kernel, int batch, int h,
            int w, int padTop, int padLeft) {
        int c = wino.c, k = wino.k, alpha = form.alpha();
        assertEquals(form.side(), wino.side, "tile side");
        wino.loadKernel(kernel);
        // |G||g||Gᵀ| per (ξ, channel, filter), the kernel transform's magnitudes
        double[] gAbs = new double[alpha * alpha * c * k];
        for (int a = 0; a < alpha; a++) {
            for (int b = 0; b < alpha; b++) {
                for (int i = 0; i < c * k; i++) {
                    double s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            s += Math.abs(form.g()[a][ky]) * Math.abs(kernel[(ky * 3 + kx) * c * k + i])
                                    * Math.abs(form.g()[b][kx]);
                        }
                    }
                    gAbs[(a * alpha + b) * c * k + i] = s;
                }
            }
        }
        int outH = wino.outH, outW = wino.outW;
        for (int image = 0; image < batch; image++) {
            // every image through the same slot: the second sees the first's scratch
            float[] res = wino.compute(x, image * h * w * c, image % 2);
            int rw = wino.resultWidth();
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    for (int j = 0; j < k; j++) {
                        double want = 0;
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                for (int ch = 0; ch < c; ch++) {
                                    want += pixel(x, image, h, w, c, oy + ky - padTop, ox + kx - padLeft, ch)
                                            * kernel[((ky * 3 + kx) * c + ch) * k + j];
                                }
                            }
                        }
                        double bound = (c + form.roundings()) * U * 1.01 * magnitude(form, x, gAbs, image, h, w, c, k,
                                oy, ox, j, padTop, padLeft) + 1e-30;
                        float got = res[(oy * rw + ox) * k + j];
                        assertEquals(want, got, bound, path + " image " + image + " out (" + oy + ", " + ox + ", " + j + ")");
                    }
                }
            }
        }
    }

    /** |Aᵀ| [Σ_ch |G||g||Gᵀ| ⊙ |Bᵀ||d||B|] |A| at output (oy, ox) of its tile, filter j. */
    private static double magnitude(Form form, float[] x, double[] gAbs, int image, int h, int w, int c, int k, int oy,
            int ox, int j, int padTop, int padLeft) {
        int m = form.side(), alpha = form.alpha();
        int ty = oy / m, tx = ox / m, a2 = oy % m, b2 = ox % m;
        double[][] at = form.at(), bt = form.bt();
        double sum = 0;
        for (int a = 0; a < alpha; a++) {
            for (int b = 0; b < alpha; b++) {
                double weight = Math.abs(at[a2][a]) * Math.abs(at[b2][b]);
                if (weight == 0) {
                    continue;
                }
                double mag = 0;
                for (int ch = 0; ch < c; ch++) {
                    double d = 0;
                    for (int p = 0; p < alpha; p++) {
                        for (int q = 0; q < alpha; q++) {
                            d += Math.abs(bt[a][p]) * Math.abs(pixel(x, image, h, w, c, m * ty + p - padTop,
                                    m * tx + q - padLeft, ch)) * Math.abs(bt[b][q]);
                        }
                    }
                    mag += gAbs[((a * alpha + b) * c + ch) * k + j] * d;
                }
                sum += weight * mag;
            }
        }
        return sum;
    }

    private static double pixel(float[] x, int image, int h, int w, int c, int iy, int ix, int ch) {
        return iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x[((image * h + iy) * w + ix) * c + ch];
    }

    /**
     * The dispatch, pass by pass: F(4×4) where a product's outputs are a multiple of two vectors
     * and its inputs at least 16, else F(2×2) for 32 channels and more, else the direct tiles.
     */
    @Test
    void vectorPassesTakeWinogradWhereItSuits() {
        if (!ImageConv.vectorSuits(new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0))) {
            return; // no Vector API here: nothing to dispatch
        }
        int lanes = VectorConvs.LANES;
        assertTiles(4, 4, new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0), "convnet128's second layer");
        assertTiles(4, 4, new ConvGeometry(7, 9, 32, 32, 3, 3, 1, 1, 7, 9, 1, 1), "SAME");
        assertTiles(4, 0, new ConvGeometry(26, 26, 16, 32, 3, 3, 1, 1, 24, 24, 0, 0),
                "twoconv64's second layer: dL/dx has one vector of outputs, Row3Tiles");
        assertTiles(2, 2, new ConvGeometry(9, 9, 48, lanes, 3, 3, 1, 1, 7, 7, 0, 0),
                "one vector of filters, and 48 channels (three vectors): F(2x2) both ways");
        assertTiles(0, 0, new ConvGeometry(12, 11, 32, 32, 5, 5, 1, 1, 8, 7, 0, 0), "5x5");
        assertEquals(0, Winograd.vectorTile(new ConvGeometry(13, 13, 32, 64, 3, 3, 2, 2, 6, 6, 0, 0), 32, 64, lanes),
                "strides 2");
        withProperty("tapgrad.conv.winograd.tile", "2", () -> {
            assertTiles(2, 2, new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0), "F(2x2) asked for");
            assertTiles(0, 0, new ConvGeometry(26, 26, 16, 32, 3, 3, 1, 1, 24, 24, 0, 0), "F(2x2): 16 channels direct");
        });
        withProperty("tapgrad.conv.winograd", "false", () ->
                assertTiles(0, 0, new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0), "switched off"));
        assertTrue(Platform.vectorUsable());
    }

    private static void assertTiles(int forward, int inputGradient, ConvGeometry g, String what) {
        ConvPasses p = ImageConv.create(g, 1, true);
        assertTrue(p instanceof VectorImageConv, what + ": the Vector API's passes");
        VectorImageConv v = (VectorImageConv) p;
        assertEquals(forward, v.forwardTile(), what + ": forward");
        assertEquals(inputGradient, v.inputGradientTile(), what + ": dL/dx");
        assertEquals(forward + inputGradient > 0, v.winograd(), what + ": winograd()");
    }

    private static void withProperty(String name, String value, Runnable body) {
        String old = System.getProperty(name);
        System.setProperty(name, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, old);
            }
        }
    }
}
