package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.kernel.Platform;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Winograd F(2×2, 3×3), the portable stages and the Vector API's, against a float64 correlation
 * by naive loops, within a bound derived from the transforms. Each output is computed as
 * Aᵀ [Σ_ch (G g Gᵀ) ⊙ (Bᵀ d B)] A with, on the way to it, at most 4 roundings in the kernel
 * transform (two additions along each axis; the halves are exact), 2 in the input transform (one
 * addition along each axis), 1 in a product, {@code channels} in the sum over the channels (one
 * per multiply-add, or product and addition) and 4 in the output transform (two additions along
 * each axis): channels + 11 in all. The first-order bound of such a computation is
 * γ·|Aᵀ| [Σ_ch (|G||g||Gᵀ|) ⊙ (|Bᵀ||d||B|)] |A| with γ = (channels + 11)·2⁻²⁴ (Higham, Accuracy
 * and Stability of Numerical Algorithms, §3.1 and §3.5), the magnitudes computed here in double;
 * a percent is added for the second-order terms. Note the bound is in the transforms' magnitudes,
 * not the direct sum's Σ|x·w|, which they exceed several times: Winograd is less accurate than the
 * direct sum, and this says by how much at most.
 */
class WinogradTest {
    private static final double U = 0x1p-24;
    private static final double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    private static final double[][] BT = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    private static final double[][] AT = {{1, 1, 1, 0}, {0, 1, -1, -1}};

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, border {4}/{5}, out {6}x{7}")
    @CsvSource({
        "13, 13, 32, 64, 0, 0, 11, 11",   // convnet128's second layer: tiles cut at the bottom and right
        "12, 10, 32, 32, 0, 0, 10, 8",    // even: read in place
        "7, 9, 32, 16, 1, 1, 7, 9",       // SAME: a border of 1, odd sizes; one vector of filters (16 tiles x 1)
        "5, 6, 16, 48, 2, 2, 7, 8",       // dL/dx's form: a border of 2, the full correlation; a pair and a single vector
        "3, 3, 32, 32, 1, 1, 3, 3",       // one tile row, cut
        "40, 4, 16, 16, 1, 1, 40, 4"})    // more tiles than a block (40), few across
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
        check(new Winograd(c, k, h, w, padTop, padLeft, outH, outW, 2), "portable", x, kernel, batch, h, w,
                padTop, padLeft);
        if (VectorConvs.LANES > 0 && c % VectorConvs.LANES == 0 && k % VectorConvs.LANES == 0) {
            check(new VectorWinograd(c, k, h, w, padTop, padLeft, outH, outW, 2), "vector", x, kernel, batch, h, w,
                    padTop, padLeft);
        }
    }

    private static void check(Winograd wino, String path, float[] x, float[] kernel, int batch, int h, int w,
            int padTop, int padLeft) {
        int c = wino.c, k = wino.k;
        wino.loadKernel(kernel);
        // |G||g||Gᵀ| per (ξ, channel, filter), the kernel transform's magnitudes
        double[] gAbs = new double[16 * c * k];
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                for (int i = 0; i < c * k; i++) {
                    double s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            s += Math.abs(G[a][ky]) * Math.abs(kernel[(ky * 3 + kx) * c * k + i]) * Math.abs(G[b][kx]);
                        }
                    }
                    gAbs[(a * 4 + b) * c * k + i] = s;
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
                        double bound = (c + 11) * U * 1.01 * magnitude(x, gAbs, image, h, w, c, k, oy, ox, j, padTop,
                                padLeft) + 1e-30;
                        float got = res[(oy * rw + ox) * k + j];
                        assertEquals(want, got, bound, path + " image " + image + " out (" + oy + ", " + ox + ", " + j + ")");
                    }
                }
            }
        }
    }

    /** |Aᵀ| [Σ_ch |G||g||Gᵀ| ⊙ |Bᵀ||d||B|] |A| at output (oy, ox) of its tile, filter j. */
    private static double magnitude(float[] x, double[] gAbs, int image, int h, int w, int c, int k, int oy, int ox,
            int j, int padTop, int padLeft) {
        int ty = oy / 2, tx = ox / 2, a2 = oy % 2, b2 = ox % 2;
        double sum = 0;
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                double weight = Math.abs(AT[a2][a]) * Math.abs(AT[b2][b]);
                if (weight == 0) {
                    continue;
                }
                double m = 0;
                for (int ch = 0; ch < c; ch++) {
                    double d = 0;
                    for (int p = 0; p < 4; p++) {
                        for (int q = 0; q < 4; q++) {
                            d += Math.abs(BT[a][p]) * Math.abs(pixel(x, image, h, w, c, 2 * ty + p - padTop,
                                    2 * tx + q - padLeft, ch)) * Math.abs(BT[b][q]);
                        }
                    }
                    m += gAbs[((a * 4 + b) * c + ch) * k + j] * d;
                }
                sum += weight * m;
            }
        }
        return sum;
    }

    private static double pixel(float[] x, int image, int h, int w, int c, int iy, int ix, int ch) {
        return iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x[((image * h + iy) * w + ix) * c + ch];
    }

    /** The dispatch: the Vector API's passes take Winograd for 3×3 stride-1 layers of 32 channels and more only. */
    @Test
    void vectorPassesTakeWinogradWhereItSuits() {
        if (!ImageConv.vectorSuits(new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0))) {
            return; // no Vector API here: nothing to dispatch
        }
        assertTrue(winograd(new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0)), "convnet128's second layer");
        assertTrue(winograd(new ConvGeometry(7, 9, 32, 32, 3, 3, 1, 1, 7, 9, 1, 1)), "SAME");
        assertTrue(!winograd(new ConvGeometry(26, 26, 16, 32, 3, 3, 1, 1, 24, 24, 0, 0)), "16 channels: Row3Tiles");
        assertTrue(!winograd(new ConvGeometry(12, 11, 32, 32, 5, 5, 1, 1, 8, 7, 0, 0)), "5x5");
        String old = System.getProperty("tapgrad.conv.winograd");
        System.setProperty("tapgrad.conv.winograd", "false");
        try {
            assertTrue(!winograd(new ConvGeometry(13, 13, 32, 64, 3, 3, 1, 1, 11, 11, 0, 0)), "switched off");
        } finally {
            if (old == null) {
                System.clearProperty("tapgrad.conv.winograd");
            } else {
                System.setProperty("tapgrad.conv.winograd", old);
            }
        }
        assertTrue(Platform.vectorUsable());
    }

    private static boolean winograd(ConvGeometry g) {
        ConvPasses p = ImageConv.create(g, 1, true);
        return p instanceof VectorImageConv && ((VectorImageConv) p).winograd();
    }
}
