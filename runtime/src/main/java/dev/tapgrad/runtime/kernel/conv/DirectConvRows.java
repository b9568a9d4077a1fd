package dev.tapgrad.runtime.kernel.conv;

/**
 * The innermost loops of {@link DirectConv}, one pixel's row of filters at a time: kernel rows
 * multiplied into an accumulator in groups of five or four (with the relu floor on the last
 * group), the output penalty's per-filter sums, dL/dz with the relu mask and the penalty's
 * gradient, and the kernel-gradient rows. Small static methods C2 inlines into DirectConv's
 * passes; each keeps the FMA order DirectConv's tests pin bit for bit.
 */
final class DirectConvRows {
    private DirectConvRows() {}

    /** Adds |c| or c² of one pixel's filters (each term a float, as the ops store it) to the per-filter sums. */
    static void addPenalty(double[] acc, float[] c, boolean square, int n) {
        if (square) {
            for (int j = 0; j < n; j++) {
                acc[j] += c[j] * c[j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                acc[j] += Math.abs(c[j]);
            }
        }
    }

    static void multiplyAddRows5(float[][] rows, float[] a, float[] src, float[] xp, int p, int n) {
        float x0 = xp[p], x1 = xp[p + 1], x2 = xp[p + 2], x3 = xp[p + 3], x4 = xp[p + 4];
        float[] k0 = rows[p], k1 = rows[p + 1], k2 = rows[p + 2], k3 = rows[p + 3], k4 = rows[p + 4];
        for (int j = 0; j < n; j++) {
            a[j] = Math.fma(x4, k4[j], Math.fma(x3, k3[j], Math.fma(x2, k2[j], Math.fma(x1, k1[j],
                    Math.fma(x0, k0[j], src[j])))));
        }
    }

    static void multiplyAddRows4(float[][] rows, float[] a, float[] src, float[] xp, int p, int n) {
        float x0 = xp[p], x1 = xp[p + 1], x2 = xp[p + 2], x3 = xp[p + 3];
        float[] k0 = rows[p], k1 = rows[p + 1], k2 = rows[p + 2], k3 = rows[p + 3];
        for (int j = 0; j < n; j++) {
            a[j] = Math.fma(x3, k3[j], Math.fma(x2, k2[j], Math.fma(x1, k1[j], Math.fma(x0, k0[j], src[j]))));
        }
    }

    static void multiplyAddRows5AndFloor(float[][] rows, float[] c, float[] src, float floor, float[] xp, int p, int n) {
        float x0 = xp[p], x1 = xp[p + 1], x2 = xp[p + 2], x3 = xp[p + 3], x4 = xp[p + 4];
        float[] k0 = rows[p], k1 = rows[p + 1], k2 = rows[p + 2], k3 = rows[p + 3], k4 = rows[p + 4];
        for (int j = 0; j < n; j++) {
            c[j] = Math.max(Math.fma(x4, k4[j], Math.fma(x3, k3[j], Math.fma(x2, k2[j], Math.fma(x1, k1[j],
                    Math.fma(x0, k0[j], src[j]))))), floor);
        }
    }

    static void multiplyAddRows4AndFloor(float[][] rows, float[] c, float[] src, float floor, float[] xp, int p, int n) {
        float x0 = xp[p], x1 = xp[p + 1], x2 = xp[p + 2], x3 = xp[p + 3];
        float[] k0 = rows[p], k1 = rows[p + 1], k2 = rows[p + 2], k3 = rows[p + 3];
        for (int j = 0; j < n; j++) {
            c[j] = Math.max(Math.fma(x3, k3[j], Math.fma(x2, k2[j], Math.fma(x1, k1[j], Math.fma(x0, k0[j],
                    src[j])))), floor);
        }
    }

    /**
     * dL/dz of one pixel into {@code gz} (and back into {@code grad}), added to the bias sums.
     * relu'(z) from out without a branch (the sign is a coin flip): k = bits(out) − 1 lies in
     * [0, 0x7f7fffff] exactly when out > 0 (+0, negatives and NaN fall outside), and m is all
     * ones outside it. (out > 0) equals (z > 0) because out = max(z, 0).
     */
    static void dz(float[] out, float[] grad, int o, float[] gz, float[] db, boolean relu, int penalty,
            float scale, int n) {
        if (relu) {
            if (penalty == DirectConv.ABS) {
                for (int j = 0; j < n; j++) {
                    int k = Float.floatToRawIntBits(out[o + j]) - 1;
                    int m = (k >> 31) | ((0x7f7fffff - k) >> 31);
                    gz[j] = Float.intBitsToFloat(Float.floatToRawIntBits(grad[o + j] + scale) & ~m);
                }
            } else if (penalty == DirectConv.SQUARE) {
                for (int j = 0; j < n; j++) {
                    int k = Float.floatToRawIntBits(out[o + j]) - 1;
                    int m = (k >> 31) | ((0x7f7fffff - k) >> 31);
                    gz[j] = Float.intBitsToFloat(Float.floatToRawIntBits(grad[o + j] + 2 * out[o + j] * scale) & ~m);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int k = Float.floatToRawIntBits(out[o + j]) - 1;
                    int m = (k >> 31) | ((0x7f7fffff - k) >> 31);
                    gz[j] = Float.intBitsToFloat(Float.floatToRawIntBits(grad[o + j]) & ~m);
                }
            }
            System.arraycopy(gz, 0, grad, o, n);
        } else {
            System.arraycopy(grad, o, gz, 0, n);
        }
        for (int j = 0; j < n; j++) {
            db[j] += gz[j];
        }
    }

    /** 2^75: a positive float is at least 2^-149, so times this twice it is at least 2. */
    private static final float SCALE = 0x1p75f;

    /**
     * {@link #dz}'s dL/dz with the relu for {@code j < n} in loops C2 vectorises (JDK 17 leaves
     * dz's bit masks scalar, and loops over offset arrays: {@code y} and {@code v} are the
     * caller's copies): {@code v[j]}, which holds dL/dout, becomes the penalty's gradient added
     * and then kept where the relu output {@code y[j]} is positive, +0 elsewhere. Without a select:
     * {@code t = min(1, max(0, y·2^75·2^75))} is 1 for a positive y and 0 for ±0 or a negative
     * one, and {@code v} clamped to [−∞·t, +∞·t] (each bound a ±MAX_VALUE·t doubled, so that t = 0
     * gives +0 and not NaN) is v itself or +0, the bits dz's mask gives. Where dz's result would
     * not be NaN this one is dz's bit for bit; a NaN y, or a NaN or infinite v under a zero y, give
     * NaN where dz gives +0, so a caller that finds a NaN (in its bias sums) redoes the rows with dz.
     */
    static void reluGradient(int n, float[] y, float[] v, int penalty, float scale) {
        if (penalty == DirectConv.ABS) {
            reluGradientAbs(n, y, v, scale);
        } else if (penalty == DirectConv.SQUARE) {
            reluGradientSquare(n, y, v, scale);
        } else {
            reluGradientPlain(n, y, v);
        }
    }

    private static void reluGradientPlain(int n, float[] y, float[] v) {
        for (int j = 0; j < n; j++) {
            float big = Float.MAX_VALUE * Math.min(1f, Math.max(0f, y[j] * SCALE * SCALE));
            v[j] = Math.min(Math.max(v[j], (0f - big) * 2f), big * 2f);
        }
    }

    private static void reluGradientAbs(int n, float[] y, float[] v, float scale) {
        for (int j = 0; j < n; j++) {
            float big = Float.MAX_VALUE * Math.min(1f, Math.max(0f, y[j] * SCALE * SCALE));
            v[j] = Math.min(Math.max(v[j] + scale, (0f - big) * 2f), big * 2f);
        }
    }

    private static void reluGradientSquare(int n, float[] y, float[] v, float scale) {
        for (int j = 0; j < n; j++) {
            float u = y[j];
            float big = Float.MAX_VALUE * Math.min(1f, Math.max(0f, u * SCALE * SCALE));
            v[j] = Math.min(Math.max(v[j] + 2 * u * scale, (0f - big) * 2f), big * 2f);
        }
    }

    static void multiplyAddGradientRows3(float[] d0, float[] d1, float[] d2, float[] xa, float[] xb, int p, float[] ga,
            float[] gb, int n) {
        float a0 = xa[p], a1 = xa[p + 1], a2 = xa[p + 2];
        float b0 = xb[p], b1 = xb[p + 1], b2 = xb[p + 2];
        for (int j = 0; j < n; j++) {
            float u = ga[j];
            float v = gb[j];
            d0[j] = Math.fma(b0, v, Math.fma(a0, u, d0[j]));
            d1[j] = Math.fma(b1, v, Math.fma(a1, u, d1[j]));
            d2[j] = Math.fma(b2, v, Math.fma(a2, u, d2[j]));
        }
    }

    static void multiplyAddGradientRow(float[] d, float a, float b, float[] ga, float[] gb, int n) {
        for (int j = 0; j < n; j++) {
            d[j] = Math.fma(b, gb[j], Math.fma(a, ga[j], d[j]));
        }
    }
}
