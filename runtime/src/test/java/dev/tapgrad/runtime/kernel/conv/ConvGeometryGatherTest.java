package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ConvGeometry#gather} against the patch written from its definition: x(image, oy·sh − pt +
 * ky, ox·sw − pl + kx, c) in (ky, kx, c) order, zero outside the image, for every output pixel of
 * two images (the second image catches a wrong image offset). 3×3 over one channel (the first
 * layer of a CNN), runs of three values that are not one channel (3×1 over three channels: a
 * special case for the first shape must not catch it), padded and strided.
 */
class ConvGeometryGatherTest {
    @ParameterizedTest(name = "{0}x{1}x{2} kernel {3}x{4} stride {5} pad {6}")
    @CsvSource({
        "6, 7, 1, 3, 3, 1, 0",   // 3×3 over one channel
        "6, 7, 1, 3, 3, 1, 1",   // the same, padded (borders take the general loop)
        "9, 8, 1, 3, 3, 2, 1",   // strided
        "5, 6, 3, 3, 1, 1, 0",   // runs of three that are three channels of one column
        "5, 6, 2, 3, 3, 1, 1",   // patch 18
        "4, 5, 1, 2, 2, 1, 0"})  // patch 4
    void gatherCopiesThePatchOfEveryPixel(int h, int w, int c, int kh, int kw, int stride, int pad) {
        int outH = (h + 2 * pad - kh) / stride + 1;
        int outW = (w + 2 * pad - kw) / stride + 1;
        ConvGeometry g = new ConvGeometry(h, w, c, 4, kh, kw, stride, stride, outH, outW, pad, pad);
        float[] x = new float[2 * h * w * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1; // every value distinct and non-zero, so a padding zero is told apart
        }
        float[] got = new float[g.patch + 3];
        float[] want = new float[g.patch + 3];
        for (int image = 0; image < 2; image++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    Arrays.fill(got, -1f);
                    Arrays.fill(want, -1f);
                    for (int ky = 0, q = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            for (int ch = 0; ch < c; ch++, q++) {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                                want[q] = inside ? x[((image * h + iy) * w + ix) * c + ch] : 0f;
                            }
                        }
                    }
                    g.gather(x, image, oy, ox, got);
                    assertEquals(Arrays.toString(want), Arrays.toString(got),
                            "image " + image + " pixel (" + oy + ", " + ox + ")");
                }
            }
        }
    }
}
