package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ImageConv's portable dL/dz (DirectConvRows.reluGradient's vectorisable loops, with the redo by
 * dz where they leave a NaN) against dz's bit masks, the definition: the same bits of dL/dz,
 * of dL/dout overwritten with it, and of the bias sums, for every penalty. Relu outputs +0,
 * −0, positive, +∞ and NaN meet dL/dout values of both signs, ±0, ±MAX_VALUE, ±MIN_VALUE, ±∞
 * and NaN; NaNs in one image only, the others (infinities included) go through the loops alone
 * and must still match.
 */
class PortableDzTest {
    @ParameterizedTest
    @ValueSource(ints = {DirectConv.NO_PENALTY, DirectConv.SQUARE, DirectConv.ABS})
    void matchesTheBitMasks(int penalty) {
        ConvGeometry g = new ConvGeometry(6, 7, 3, 12, 3, 3, 1, 1, 4, 5, 0, 0);
        int n = g.pixels() * g.filters;
        int images = 4;
        Random random = new Random(5 + penalty);
        float[] out = new float[images * n];
        float[] grad = new float[images * n];
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc00321), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] finite = {-0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < out.length; i++) {
            int image = i / n;
            int k = random.nextInt(4);
            // Relu outputs: +0 (a dead unit), −0 (as if z were −0 and no floor), positive, and from image 1 on also +∞ and NaN.
            out[i] = k == 0 ? 0f : k == 1 ? -0f : image == 2 && random.nextInt(8) == 0 ? Float.NaN
                    : image > 0 && random.nextInt(8) == 0 ? Float.POSITIVE_INFINITY : random.nextFloat() * 3;
            grad[i] = random.nextInt(9) == 0 ? (random.nextBoolean() ? 0f : -0f) : random.nextFloat() * 2 - 1;
            if (image == 2 && random.nextInt(4) == 0) {
                grad[i] = special[random.nextInt(special.length)]; // NaNs: the loops' result is redone by dz
            } else if ((image == 1 || image == 3) && random.nextInt(4) == 0) {
                // Infinities (+ in image 1, − in image 3) only where the unit is alive, so that no NaN arises
                // and these images' results are the loops' own.
                grad[i] = out[i] > 0 && random.nextBoolean() ? (image == 1 ? Float.POSITIVE_INFINITY
                        : Float.NEGATIVE_INFINITY) : finite[random.nextInt(finite.length)];
            }
        }
        ImageConv conv = new ImageConv(g, 1);
        float[] r = new float[n + 16];
        float[] db = new float[g.filters + 16];
        float[] rWant = new float[n + 16];
        float[] dbWant = new float[g.filters + 16];
        float[] gradNew = grad.clone();
        float[] gradWant = grad.clone();
        for (int image = 0; image < images; image++) {
            int o = image * n;
            conv.dz(out, gradWant, o, rWant, dbWant, true, penalty, 0.01f);
            conv.portableDz(out, gradNew, o, r, db, true, penalty, 0.01f, 0);
            assertArrayEquals(bits(rWant, n), bits(r, n), "dL/dz of image " + image);
            assertArrayEquals(bits(dbWant, g.filters), bits(db, g.filters), "bias sums of image " + image);
        }
        assertArrayEquals(bits(gradWant, gradWant.length), bits(gradNew, gradNew.length), "dL/dout overwritten");
    }

    private static int[] bits(float[] v, int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
