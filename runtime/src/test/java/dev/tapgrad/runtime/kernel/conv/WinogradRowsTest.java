package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PortableImageConv's Winograd path ({@link WinogradRows}): forward and dL/dx against float64
 * sums by their definitions, within the first-order bound of the transforms' roundings (as
 * WinogradTest derives it: γ·|Aᵀ| [Σ_ch |G||g||Gᵀ| ⊙ |Bᵀ||d||B|] |A|, here with γ = (channels +
 * 11)·2⁻²⁴: 4 roundings in the kernel transform, 2 in the input transform, 1 + channels in the
 * product and its sum, 4 in the output transform's two stages, plus a percent for second-order
 * terms); dL/dx is that computation over dL/dz with a border of 2 − pad and the flipped kernel,
 * so its bound is taken with those. The bias and floor are applied to the same sums (bits), the
 * penalty is summed over the stored outputs in pixel order, and one image per call, several per
 * call, and two slots give the same bits.
 */
class WinogradRowsTest {
    private static final double U = 0x1p-24;
    private static final double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    private static final double[][] BT = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    private static final double[][] AT = {{1, 1, 1, 0}, {0, 1, -1, -1}};

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, pad {4}, B={5}")
    @CsvSource({
        "26, 26, 16, 32, 0, 3",   // twoconv64's second layer, a group and a part of one
        "13, 13, 32, 64, 0, 5",   // convnet128's second layer: tiles cut at the bottom and right
        "7, 9, 17, 5, 1, 1",      // SAME, odd sizes, 17 channels, one image
        "5, 6, 1, 4, 1, 3",       // one channel (not dispatched there, but the rows must hold)
        "9, 8, 16, 16, 0, 4",     // a group exactly
        "3, 3, 16, 3, 1, 2"})     // one tile, cut
    void forwardAndInputGradientMatchFloat64(int h, int w, int c, int f, int pad, int batch) {
        int outH = pad == 1 ? h : h - 2, outW = pad == 1 ? w : w - 2;
        ConvGeometry g = new ConvGeometry(h, w, c, f, 3, 3, 1, 1, outH, outW, pad, pad);
        Random r = new Random(h * 131 + w * 17 + c * 5 + f);
        float[] x = gaussian(r, batch * h * w * c, 1);
        float[] kernel = gaussian(r, 9 * c * f, 1 / Math.sqrt(9 * c));
        float[] bias = gaussian(r, f, 0.5);
        float[] dz = gaussian(r, batch * outH * outW * f, 1);
        PortableImageConv conv = new PortableImageConv(g, 2, true);
        assertTrue(conv.winograd());
        conv.loadKernel(kernel);

        // forward without bias or floor: against the definition
        float[] out = new float[batch * outH * outW * f];
        conv.forward(x, new float[f], out, Float.NEGATIVE_INFINITY, DirectConv.NO_PENALTY, 0, batch, 0,
                new double[batch]);
        float[] gAbs = transformMagnitudes(kernel, c, f);
        for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    for (int j = 0; j < f; j++) {
                        double want = 0;
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                for (int ch = 0; ch < c; ch++) {
                                    want += pixel(x, b, h, w, c, oy + ky - pad, ox + kx - pad, ch)
                                            * kernel[((ky * 3 + kx) * c + ch) * f + j];
                                }
                            }
                        }
                        double bound = (c + 11) * U * 1.01 * magnitude(x, gAbs, b, h, w, c, f, oy, ox, j, pad, pad)
                                + 1e-30;
                        assertEquals(want, out[((b * outH + oy) * outW + ox) * f + j], bound,
                                "forward image " + b + " (" + oy + ", " + ox + ", " + j + ")");
                    }
                }
            }
        }

        // bias, relu and the penalty: on the same sums
        for (int penalty : new int[] {DirectConv.SQUARE, DirectConv.ABS}) {
            float[] relu = new float[out.length];
            double[] sums = new double[batch];
            conv.forward(x, bias, relu, 0f, penalty, 0, batch, 1, sums);
            int pixels = outH * outW;
            for (int b = 0; b < batch; b++) {
                double[] perFilter = new double[f];
                for (int p = 0; p < pixels; p++) {
                    for (int j = 0; j < f; j++) {
                        int i = (b * pixels + p) * f + j;
                        float want = Math.max(out[i] + bias[j], 0f);
                        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(relu[i]), "relu at " + i);
                        perFilter[j] += penalty == DirectConv.SQUARE ? relu[i] * relu[i] : Math.abs(relu[i]);
                    }
                }
                double s = 0;
                for (int j = 0; j < f; j++) {
                    s += perFilter[j];
                }
                assertEquals(s, sums[b], "penalty " + penalty + " of image " + b);
            }
            float[] one = new float[out.length];
            double[] oneSums = new double[batch];
            for (int b = batch - 1; b >= 0; b--) {
                conv.forward(x, bias, one, 0f, penalty, b, b + 1, b % 2, oneSums);
            }
            assertArrayEquals(relu, one, "one image per call, either slot");
            assertArrayEquals(sums, oneSums, "penalty sums one image per call");
        }

        // dL/dx: dz through the backward (no relu, no penalty), written, then added
        float[] gx = new float[x.length];
        Arrays.fill(gx, Float.NaN); // written: every value must be stored
        float[] parts = new float[batch * (9 * c * f + f)];
        conv.backward(x, out, dz.clone(), gx, false, false, DirectConv.NO_PENALTY, 0f, 0, batch, 0, parts);
        float[] flipped = new float[9 * f * c];
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int j = 0; j < f; j++) {
                        flipped[((ky * 3 + kx) * f + j) * c + ch] = kernel[(((2 - ky) * 3 + 2 - kx) * c + ch) * f + j];
                    }
                }
            }
        }
        float[] fAbs = transformMagnitudes(flipped, f, c);
        for (int b = 0; b < batch; b++) {
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    for (int ch = 0; ch < c; ch++) {
                        double want = 0;
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                for (int j = 0; j < f; j++) {
                                    want += pixel(dz, b, outH, outW, f, iy - ky + pad, ix - kx + pad, j)
                                            * kernel[((ky * 3 + kx) * c + ch) * f + j];
                                }
                            }
                        }
                        double bound = (f + 11) * U * 1.01
                                * magnitude(dz, fAbs, b, outH, outW, f, c, iy, ix, ch, 2 - pad, 2 - pad) + 1e-30;
                        assertEquals(want, gx[((b * h + iy) * w + ix) * c + ch], bound,
                                "dL/dx image " + b + " (" + iy + ", " + ix + ", " + ch + ")");
                    }
                }
            }
        }
        float[] added = new float[x.length];
        for (int b = 0; b < batch; b++) {
            conv.backward(x, out, dz.clone(), added, true, false, DirectConv.NO_PENALTY, 0f, b, b + 1, b % 2, parts);
        }
        assertArrayEquals(gx, added, "dL/dx one image per call, added to zeros");
    }

    /** The dispatch: 3×3, stride 1, 16 channels or more; off with -Dtapgrad.conv.winograd=false. */
    @Test
    void portablePassesTakeWinogradWhereItSuits() {
        assertTrue(WinogradRows.suits(new ConvGeometry(26, 26, 16, 32, 3, 3, 1, 1, 24, 24, 0, 0)));
        assertTrue(WinogradRows.suits(new ConvGeometry(7, 9, 32, 8, 3, 3, 1, 1, 7, 9, 1, 1)));
        assertFalse(WinogradRows.suits(new ConvGeometry(28, 28, 1, 16, 3, 3, 1, 1, 26, 26, 0, 0)));
        assertFalse(WinogradRows.suits(new ConvGeometry(26, 26, 8, 32, 3, 3, 1, 1, 24, 24, 0, 0)));
        assertFalse(WinogradRows.suits(new ConvGeometry(12, 11, 32, 32, 5, 5, 1, 1, 8, 7, 0, 0)));
        String old = System.getProperty("tapgrad.conv.winograd");
        System.setProperty("tapgrad.conv.winograd", "false");
        try {
            assertFalse(WinogradRows.suits(new ConvGeometry(26, 26, 16, 32, 3, 3, 1, 1, 24, 24, 0, 0)));
        } finally {
            if (old == null) {
                System.clearProperty("tapgrad.conv.winograd");
            } else {
                System.setProperty("tapgrad.conv.winograd", old);
            }
        }
    }

    /** |G||g||Gᵀ| per (ξ, input, output) of a (3, 3, in, out) kernel. */
    private static float[] transformMagnitudes(float[] kernel, int in, int out) {
        float[] gAbs = new float[16 * in * out];
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                for (int i = 0; i < in * out; i++) {
                    double s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            s += Math.abs(G[a][ky]) * Math.abs(kernel[(ky * 3 + kx) * in * out + i]) * Math.abs(G[b][kx]);
                        }
                    }
                    gAbs[(a * 4 + b) * in * out + i] = (float) (s * (1 + 1e-6));
                }
            }
        }
        return gAbs;
    }

    /** |Aᵀ| [Σ_ch |G||g||Gᵀ| ⊙ |Bᵀ||d||B|] |A| at output (oy, ox) of its tile, output j. */
    private static double magnitude(float[] x, float[] gAbs, int image, int h, int w, int c, int k, int oy, int ox,
            int j, int top, int left) {
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
                            d += Math.abs(BT[a][p]) * Math.abs(pixel(x, image, h, w, c, 2 * ty + p - top,
                                    2 * tx + q - left, ch)) * Math.abs(BT[b][q]);
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

    private static float[] gaussian(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }
}
