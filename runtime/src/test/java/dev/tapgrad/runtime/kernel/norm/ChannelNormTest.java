package dev.tapgrad.runtime.kernel.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.kernel.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both paths of {@link ChannelNorm} against the same passes written plainly in double: channel
 * counts that are a multiple of the vector width, a divisor of it and neither, row counts with a
 * ragged last chunk and a ragged last period, and a mean far from zero (1000 ± 1, where a one-pass
 * Σx² − (Σx)²/n in float would lose the variance). The parallel result must be the bits of the
 * chunks summed one after the other in order, whichever thread ran which chunk.
 */
class ChannelNormTest {
    private static final int[] CHANNELS = {1, 3, 5, 8, 16, 24, 32, 64};

    @Test
    void theVectorPathIsUsedWhereTheGemmVectorKernelIs() {
        if (Platform.vectorUsable()) {
            assertNotSame(ChannelNorm.PORTABLE, ChannelNorm.ACTIVE);
            assertEquals("vector", ChannelNorm.pathName());
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1000})
    void statisticsMatchTwoPassesInDouble(double offset) {
        for (ChannelNorm.Impl impl : paths()) {
            for (int c : CHANNELS) {
                for (int rows : rowCounts(c)) {
                    Random random = new Random(c * 31L + rows);
                    float[] x = values(random, rows * c, offset);
                    double[] mean = new double[c];
                    double[] variance = new double[c];
                    new ChannelNorm(c, impl).statistics(x, rows, mean, variance);
                    for (int ch = 0; ch < c; ch++) {
                        double m = 0;
                        for (int r = 0; r < rows; r++) {
                            m += x[r * c + ch];
                        }
                        m /= rows;
                        double v = 0;
                        for (int r = 0; r < rows; r++) {
                            v += (x[r * c + ch] - m) * (x[r * c + ch] - m);
                        }
                        v /= rows;
                        String what = impl.getClass().getSimpleName() + " C=" + c + " rows=" + rows + " channel " + ch;
                        // Float runs of 32 rows err by at most 32 float ulps of their |values|, which are
                        // deviations from the first row (spread about 1), not the offset: well inside these.
                        assertEquals(m, mean[ch], 1e-6 * (1 + Math.sqrt(v)), what + " mean");
                        assertEquals(v, variance[ch], 1e-5 * v + 1e-12, what + " variance");
                    }
                }
            }
        }
    }

    @Test
    void scaleShiftAndGradientPassesMatchDouble() {
        for (ChannelNorm.Impl impl : paths()) {
            for (int c : CHANNELS) {
                for (int rows : rowCounts(c)) {
                    Random random = new Random(c * 17L + rows);
                    float[] x = values(random, rows * c, 3);
                    float[] dy = values(random, rows * c, 0);
                    float[] center = values(random, c, 3);
                    float[] scale = values(random, c, 0);
                    float[] scaleX = values(random, c, 0);
                    float[] shift = values(random, c, 0);
                    float[] y = new float[rows * c];
                    float[] gx = values(random, rows * c, 0);
                    float[] gx0 = gx.clone();
                    ChannelNorm norm = new ChannelNorm(c, impl);
                    norm.scaleShift(x, y, rows, center, scale, shift);
                    norm.addGradient(dy, x, gx, rows, center, scale, scaleX, shift);
                    double[] sumDy = new double[c];
                    double[] sumDyCentered = new double[c];
                    norm.gradientSums(dy, x, rows, center, sumDy, sumDyCentered);
                    String what = impl.getClass().getSimpleName() + " C=" + c + " rows=" + rows;
                    double[] s1 = new double[c];
                    double[] s2 = new double[c];
                    double[] abs2 = new double[c];
                    for (int i = 0; i < rows * c; i++) {
                        int ch = i % c;
                        double d = (double) x[i] - center[ch];
                        double expectedY = scale[ch] * d + shift[ch];
                        assertEquals(expectedY, y[i], 1e-6 * (Math.abs(scale[ch] * d) + Math.abs(shift[ch])) + 1e-7,
                                what + " y[" + i + "]");
                        double g = scale[ch] * (double) dy[i] + scaleX[ch] * d + shift[ch];
                        double bound = Math.abs(scale[ch] * dy[i]) + Math.abs(scaleX[ch] * d) + Math.abs(shift[ch]);
                        assertEquals(gx0[i] + g, gx[i], 1e-6 * (bound + Math.abs(gx0[i])) + 1e-7, what + " gx[" + i + "]");
                        s1[ch] += dy[i];
                        s2[ch] += dy[i] * d;
                        abs2[ch] += Math.abs(dy[i] * d);
                    }
                    for (int ch = 0; ch < c; ch++) {
                        assertEquals(s1[ch], sumDy[ch], 1e-6 * Math.sqrt(rows) + 1e-9, what + " Σdy channel " + ch);
                        assertEquals(s2[ch], sumDyCentered[ch], 1e-6 * abs2[ch] + 1e-9, what + " Σdy·(x − center) channel " + ch);
                    }
                }
            }
        }
    }

    @Test
    void parallelSumsAreTheChunksAddedInOrder() {
        int c = 16;
        int rows = 64 * 26 * 26;
        Random random = new Random(5);
        float[] x = values(random, rows * c, 0.5);
        float[] dy = values(random, rows * c, 0);
        for (ChannelNorm.Impl impl : paths()) {
            ChannelNorm norm = new ChannelNorm(c, impl);
            int chunkRows = norm.chunkRows();
            assertEquals(true, rows > 4 * chunkRows, "the test needs several chunks");
            double[] mean = new double[c];
            double[] variance = new double[c];
            double[] sumDy = new double[c];
            double[] sumDyCentered = new double[c];
            norm.statistics(x, rows, mean, variance);
            float[] center = new float[c];
            System.arraycopy(x, 0, center, 0, c);
            norm.gradientSums(dy, x, rows, center, sumDy, sumDyCentered);
            // the same chunks, one after the other on this thread, each into its own sums, added in order
            ChannelNorm.Layout layout = ChannelNorm.Layout.of(c, impl.lanes());
            float[] shift = new float[layout.period()];
            for (int j = 0; j < shift.length; j++) {
                shift[j] = x[j % c];
            }
            double[] stats = new double[2 * c];
            double[] products = new double[2 * c];
            float[][] work = new float[ChannelNorm.WORK_ARRAYS][layout.period()];
            for (int from = 0; from < rows; from += chunkRows) {
                int to = Math.min(rows, from + chunkRows);
                double[] part = new double[2 * c];
                impl.shiftedSums(x, from * c, to * c, layout, shift, work, part, 0);
                double[] part2 = new double[2 * c];
                impl.productSums(dy, x, from * c, to * c, layout, shift, work, part2, 0, ChannelNorm.NO_PENALTY, 0f, null, null);
                for (int j = 0; j < 2 * c; j++) {
                    stats[j] += part[j];
                    products[j] += part2[j];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                double d = stats[ch] / rows;
                assertEquals(shift[ch] + d, mean[ch], 0, "mean " + ch);
                assertEquals(Math.max(0, stats[c + ch] / rows - d * d), variance[ch], 0, "variance " + ch);
                assertEquals(products[ch], sumDy[ch], 0, "Σdy " + ch);
                assertEquals(products[c + ch], sumDyCentered[ch], 0, "Σdy·(x − center) " + ch);
            }
            // and again: the same bits
            double[] again = new double[c];
            norm.statistics(x, rows, again, new double[c]);
            assertArrayEquals(mean, again);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        ChannelNorm norm = new ChannelNorm(4);
        float[] y = new float[8];
        assertThrows(IllegalArgumentException.class, () -> norm.scaleShift(new float[8], y, 3, new float[4],
                new float[4], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> norm.statistics(new float[8], 0, new double[4], new double[4]));
        assertThrows(IllegalArgumentException.class, () -> new ChannelNorm(0));
        assertArrayEquals(new float[8], y);
    }

    private static List<ChannelNorm.Impl> paths() {
        List<ChannelNorm.Impl> paths = new ArrayList<>(List.of(ChannelNorm.PORTABLE));
        if (ChannelNorm.ACTIVE != ChannelNorm.PORTABLE) {
            paths.add(ChannelNorm.ACTIVE);
        }
        return paths;
    }

    /** One row, a few rows, a ragged part-period, and several chunks with a ragged last one. */
    private static int[] rowCounts(int c) {
        int chunkRows = new ChannelNorm(c, ChannelNorm.PORTABLE).chunkRows();
        return new int[] {1, 7, 33, 3 * chunkRows + 37};
    }

    private static float[] values(Random random, int n, double offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + random.nextGaussian());
        }
        return v;
    }
}
