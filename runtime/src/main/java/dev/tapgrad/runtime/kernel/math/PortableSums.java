package dev.tapgrad.runtime.kernel.math;

/** {@link SumMath} value by value: eight partial sums, unrolled, and the penalties' gradients. */
final class PortableSums implements SumMath.Impl {
    @Override
    public double sum(float[] a, int from, int to, int kind) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = from;
        // One loop per kind, so that no choice is made per value.
        if (kind == SumMath.PLAIN) {
            for (; i + 8 <= to; i += 8) {
                s0 += a[i];
                s1 += a[i + 1];
                s2 += a[i + 2];
                s3 += a[i + 3];
                s4 += a[i + 4];
                s5 += a[i + 5];
                s6 += a[i + 6];
                s7 += a[i + 7];
            }
        } else if (kind == SumMath.ABS) {
            for (; i + 8 <= to; i += 8) {
                s0 += Math.abs(a[i]);
                s1 += Math.abs(a[i + 1]);
                s2 += Math.abs(a[i + 2]);
                s3 += Math.abs(a[i + 3]);
                s4 += Math.abs(a[i + 4]);
                s5 += Math.abs(a[i + 5]);
                s6 += Math.abs(a[i + 6]);
                s7 += Math.abs(a[i + 7]);
            }
        } else {
            for (; i + 8 <= to; i += 8) {
                s0 += a[i] * a[i];
                s1 += a[i + 1] * a[i + 1];
                s2 += a[i + 2] * a[i + 2];
                s3 += a[i + 3] * a[i + 3];
                s4 += a[i + 4] * a[i + 4];
                s5 += a[i + 5] * a[i + 5];
                s6 += a[i + 6] * a[i + 6];
                s7 += a[i + 7] * a[i + 7];
            }
        }
        return SumMath.finish(a, i, to, kind, s0, s1, s2, s3, s4, s5, s6, s7);
    }

    /** The bits of {@code c · Math.signum(x)}, without the multiply where x is finite. */
    @Override
    public void addAbs(float[] x, float[] g, int from, int to, float c) {
        int cb = Float.floatToRawIntBits(c);
        if ((cb & 0x7f800000) == 0x7f800000) {
            for (int i = from; i < to; i++) {
                g[i] += c * Math.signum(x[i]);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            int xb = Float.floatToRawIntBits(x[i]);
            int xa = xb & 0x7fffffff;
            float d;
            if (xa > 0x7f800000) {
                d = c * Math.signum(x[i]); // NaN stays NaN
            } else {
                int flipped = cb ^ (xb & 0x80000000);
                int zero = (xa - 1) >> 31; // all ones when x is ±0
                d = Float.intBitsToFloat(flipped & ~(zero & 0x7fffffff));
            }
            g[i] += d;
        }
    }

    @Override
    public void addSquare(float[] x, float[] g, int from, int to, float c) {
        for (int i = from; i < to; i++) {
            g[i] += 2 * x[i] * c;
        }
    }
}
