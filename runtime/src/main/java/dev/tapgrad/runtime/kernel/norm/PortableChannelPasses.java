package dev.tapgrad.runtime.kernel.norm;

/**
 * {@link ChannelNorm}'s passes without the Vector API: the period is one row, and every loop runs
 * over the channels of a row with array accesses only (no reductions in the inner loop), a shape
 * C2's auto-vectoriser takes. Float runs of {@link ChannelNorm#BLOCK_ROWS} rows, as on the vector path.
 */
final class PortableChannelPasses implements ChannelNorm.Impl {
    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void shiftedSums(float[] x, int from, int to, ChannelNorm.Layout layout, float[] k, float[] scratch,
            int scratchOff, double[] sums, int sOff) {
        int c = layout.channels();
        int block = layout.blockPeriods() * c;
        for (int b = from; b < to; b += block) {
            int end = Math.min(to, b + block);
            java.util.Arrays.fill(scratch, scratchOff, scratchOff + 2 * c, 0f);
            for (int r = b; r < end; r += c) {
                for (int j = 0; j < c; j++) {
                    float d = x[r + j] - k[j];
                    scratch[scratchOff + j] += d;
                    scratch[scratchOff + c + j] += d * d;
                }
            }
            flush(scratch, scratchOff, c, sums, sOff);
        }
    }

    @Override
    public void productSums(float[] dy, float[] x, int from, int to, ChannelNorm.Layout layout, float[] k,
            float[] scratch, int scratchOff, double[] sums, int sOff) {
        int c = layout.channels();
        int block = layout.blockPeriods() * c;
        for (int b = from; b < to; b += block) {
            int end = Math.min(to, b + block);
            java.util.Arrays.fill(scratch, scratchOff, scratchOff + 2 * c, 0f);
            for (int r = b; r < end; r += c) {
                for (int j = 0; j < c; j++) {
                    float g = dy[r + j];
                    scratch[scratchOff + j] += g;
                    scratch[scratchOff + c + j] += g * (x[r + j] - k[j]);
                }
            }
            flush(scratch, scratchOff, c, sums, sOff);
        }
    }

    @Override
    public void scaleShift(float[] x, float[] y, int from, int to, ChannelNorm.Layout layout, float[] center,
            float[] scale, float[] shift) {
        int c = layout.channels();
        for (int r = from; r < to; r += c) {
            for (int j = 0; j < c; j++) {
                y[r + j] = scale[j] * (x[r + j] - center[j]) + shift[j];
            }
        }
    }

    @Override
    public void addGradient(float[] dy, float[] x, float[] gx, int from, int to, ChannelNorm.Layout layout,
            float[] center, float[] scaleDy, float[] scaleX, float[] shift) {
        int c = layout.channels();
        for (int r = from; r < to; r += c) {
            for (int j = 0; j < c; j++) {
                gx[r + j] += scaleDy[j] * dy[r + j] + (scaleX[j] * (x[r + j] - center[j]) + shift[j]);
            }
        }
    }

    /** Adds the period's two float sums of a run to the double sums of their channels. */
    static void flush(float[] scratch, int off, int period, int channels, double[] sums, int sOff) {
        for (int j = 0, ch = 0; j < period; j++) {
            sums[sOff + ch] += scratch[off + j];
            sums[sOff + channels + ch] += scratch[off + period + j];
            ch = ch + 1 == channels ? 0 : ch + 1;
        }
    }

    private static void flush(float[] scratch, int off, int channels, double[] sums, int sOff) {
        flush(scratch, off, channels, channels, sums, sOff);
    }
}
