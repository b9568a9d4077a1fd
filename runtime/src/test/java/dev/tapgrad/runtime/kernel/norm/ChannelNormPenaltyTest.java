package dev.tapgrad.runtime.kernel.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ChannelNorm}'s fused output penalty on both paths, against the unfused passes: {@code
 * scaleShift} writes the same y and returns Σ|y| or Σy² (against a double sum of the float terms,
 * within 1e-6), and the backward passes with {@link ChannelNorm#penalizeGradient} give the same
 * bits as the unpenalised passes on dy + c·∂penalty/∂y, that gradient computed in a pass of its own
 * as {@code SumMath.addAbs} and {@code addSquare} define it ({@code c·sign(y)} with sign(±0) = ±0,
 * {@code 2·y·c}). Channel counts on and off the vector width, ragged periods and chunks, outputs
 * that are exactly ±0, a negative weight, dL/dx added and written.
 */
class ChannelNormPenaltyTest {
    private static final int[] CHANNELS = {1, 5, 16, 24, 32};

    @ParameterizedTest(name = "{0}, c = {1}")
    @CsvSource({"ABS, 0.0137", "SQUARE, 0.0137", "ABS, -2.5", "SQUARE, -2.5"})
    void fusedPassesGiveTheUnfusedPassesResults(String kind, float c) {
        int penalty = kind.equals("ABS") ? ChannelNorm.ABS : ChannelNorm.SQUARE;
        for (ChannelNorm.Impl impl : paths()) {
            for (int ch : CHANNELS) {
                for (int rows : rowCounts(ch)) {
                    String what = impl.getClass().getSimpleName() + " " + kind + " C=" + ch + " rows=" + rows;
                    check(impl, penalty, c, ch, rows, what);
                }
            }
        }
    }

    private static void check(ChannelNorm.Impl impl, int penalty, float c, int ch, int rows, String what) {
        Random random = new Random(ch * 131L + rows);
        int n = rows * ch;
        float[] x = values(random, n, 1);
        float[] dy = values(random, n, 0);
        float[] center = values(random, ch, 1);
        float[] scale = values(random, ch, 0);
        float[] shift = values(random, ch, 0);
        // outputs at exactly ±0: x = center where the shift is ±0
        shift[0] = 0f;
        if (ch > 1) {
            shift[1] = -0f;
        }
        for (int i = 0; i < n; i += 7) {
            x[i] = center[i % ch];
        }
        float[] scaleDy = values(random, ch, 0);
        float[] scaleX = values(random, ch, 0);
        float[] gShift = values(random, ch, 0);

        ChannelNorm plain = new ChannelNorm(ch, impl);
        float[] yPlain = new float[n];
        plain.scaleShift(x, yPlain, rows, center, scale, shift);
        ChannelNorm fused = new ChannelNorm(ch, impl);
        float[] y = new float[n];
        double sum = fused.scaleShift(x, y, rows, center, scale, shift, penalty);
        assertArrayEquals(yPlain, y, what + ": y");
        double expected = 0;
        int zeros = 0;
        for (float v : y) {
            expected += penalty == ChannelNorm.SQUARE ? v * v : Math.abs(v);
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(zeros > 0, what + ": the test needs outputs at zero");
        assertEquals(expected, sum, 1e-6 * expected, what + ": the penalty's sum");

        // the unfused reference: dy + the penalty's gradient, stored, then the plain passes
        float[] dyPenalized = new float[n];
        for (int i = 0; i < n; i++) {
            dyPenalized[i] = dy[i] + (penalty == ChannelNorm.SQUARE ? 2 * y[i] * c : c * Math.signum(y[i]));
        }
        double[] s1 = new double[ch];
        double[] s2 = new double[ch];
        plain.gradientSums(dyPenalized, x, rows, center, s1, s2);
        float[] gxStart = values(random, n, 0);
        float[] gxAdded = gxStart.clone();
        plain.addGradient(dyPenalized, x, gxAdded, rows, center, scaleDy, scaleX, gShift, true);
        float[] gxWritten = new float[n];
        plain.addGradient(dyPenalized, x, gxWritten, rows, center, scaleDy, scaleX, gShift, false);

        float[] dyBefore = dy.clone();
        fused.penalizeGradient(penalty, c, scale, shift);
        double[] f1 = new double[ch];
        double[] f2 = new double[ch];
        fused.gradientSums(dy, x, rows, center, f1, f2);
        assertArrayEquals(s1, f1, what + ": Σdy");
        assertArrayEquals(s2, f2, what + ": Σdy·(x − center)");
        float[] fAdded = gxStart.clone();
        fused.addGradient(dy, x, fAdded, rows, center, scaleDy, scaleX, gShift, true);
        assertArrayEquals(gxAdded, fAdded, what + ": dx added");
        float[] fWritten = new float[n];
        java.util.Arrays.fill(fWritten, Float.NaN); // written, never read
        fused.addGradient(dy, x, fWritten, rows, center, scaleDy, scaleX, gShift, false);
        assertArrayEquals(gxWritten, fWritten, what + ": dx written");
        assertArrayEquals(dyBefore, dy, what + ": dy is read only");

        // NO_PENALTY clears it
        fused.penalizeGradient(ChannelNorm.NO_PENALTY, c, scale, shift);
        fused.gradientSums(dyPenalized, x, rows, center, f1, f2);
        assertArrayEquals(s1, f1, what + ": Σdy after the penalty is cleared");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ABS", "SQUARE"})
    void aNonFiniteOutputKeepsItsNaN(String kind) {
        int penalty = kind.equals("ABS") ? ChannelNorm.ABS : ChannelNorm.SQUARE;
        for (ChannelNorm.Impl impl : paths()) {
            int ch = 16;
            int rows = 40;
            float[] x = values(new Random(9), rows * ch, 0);
            x[37] = Float.NaN;
            float[] one = new float[ch];
            java.util.Arrays.fill(one, 1f);
            ChannelNorm norm = new ChannelNorm(ch, impl);
            double sum = norm.scaleShift(x, new float[rows * ch], rows, new float[ch], one, new float[ch], penalty);
            assertTrue(Double.isNaN(sum), impl + ": a NaN output makes the penalty NaN");
            norm.penalizeGradient(penalty, 0.5f, one, new float[ch]);
            float[] gx = new float[rows * ch];
            norm.addGradient(new float[rows * ch], x, gx, rows, new float[ch], one, new float[ch], new float[ch], false);
            assertTrue(Float.isNaN(gx[37]), impl + ": its gradient is NaN");
            assertEquals(0.5f * Math.signum(x[38]) * (penalty == ChannelNorm.SQUARE ? 2 * Math.abs(x[38]) : 1), gx[38],
                    1e-6f, impl + ": its neighbour's is not");
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownPenaltyIsRejectedBeforeAnythingIsWritten() {
        ChannelNorm norm = new ChannelNorm(4);
        float[] y = new float[8];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> norm.scaleShift(new float[8], y, 2, new float[4], new float[4], new float[4], 3));
        assertEquals("ChannelNorm: penalty must be NO_PENALTY, ABS or SQUARE, got 3", e.getMessage());
        assertArrayEquals(new float[8], y);
        assertThrows(IllegalArgumentException.class, () -> norm.penalizeGradient(-1, 1f, new float[4], new float[4]));
    }

    private static List<ChannelNorm.Impl> paths() {
        List<ChannelNorm.Impl> paths = new ArrayList<>(List.of(ChannelNorm.PORTABLE));
        if (ChannelNorm.ACTIVE != ChannelNorm.PORTABLE) {
            paths.add(ChannelNorm.ACTIVE);
        }
        return paths;
    }

    /** A few rows, a ragged part-period, and several chunks with a ragged last one. */
    private static int[] rowCounts(int c) {
        int chunkRows = new ChannelNorm(c, ChannelNorm.PORTABLE).chunkRows();
        return new int[] {7, 33, 3 * chunkRows + 37};
    }

    private static float[] values(Random random, int n, double offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + random.nextGaussian());
        }
        return v;
    }
}
