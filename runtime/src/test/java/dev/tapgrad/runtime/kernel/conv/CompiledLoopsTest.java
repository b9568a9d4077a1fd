package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The portable select-free loops (MaxPoolWindows.firstLargest4 and spread4,
 * DirectConvRows.reluGradient) after enough calls for C2 to compile them, where they run as
 * vectors: Math.min and Math.max on vectors must keep Java's −0 and NaN rules for the bits to
 * stay the scalar scans'. Checked against definitions written here, on values full of ties,
 * ±0, ±MAX_VALUE, ±MIN_VALUE and −∞, at the first call and after many.
 */
class CompiledLoopsTest {
    private static final int N = 416;
    private static final int CALLS = 30_000;

    @Test
    void firstLargestAndSpreadKeepTheirBitsWhenCompiled() {
        Random random = new Random(3);
        float[][] v = new float[4][N];
        float[] values = {-0f, 0f, 1f, 2f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.NEGATIVE_INFINITY};
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < N; j++) {
                // −∞ never first, so that every window's largest value is finite (else the caller's scan takes it).
                v[k][j] = values[random.nextInt(k == 0 ? values.length - 1 : values.length)];
            }
        }
        float[] g = new float[N];
        for (int j = 0; j < N; j++) {
            g[j] = random.nextInt(5) - 2f;
        }
        int[] wantOut = new int[N];
        float[] wantIndex = new float[N];
        int[][] wantSpread = new int[4][N];
        for (int j = 0; j < N; j++) {
            int best = 0;
            for (int k = 1; k < 4; k++) {
                if (v[k][j] > v[best][j]) {
                    best = k;
                }
            }
            wantOut[j] = Float.floatToRawIntBits(v[best][j]);
            wantIndex[j] = best;
            for (int k = 0; k < 4; k++) {
                wantSpread[k][j] = Float.floatToRawIntBits(k == best ? 0f + g[j] : 0f);
            }
        }
        float[] max = new float[N], index = new float[N], out = new float[N], check = new float[N];
        float[][] spread = new float[4][N];
        for (int call = 0; call < CALLS; call++) {
            MaxPoolWindows.firstLargest4(N, v[0], v[1], v[2], v[3], max, index, out, check);
            MaxPoolWindows.spread4(N, g, index, spread[0], spread[1], spread[2], spread[3], check);
            if (call == 0 || call == CALLS - 1) {
                assertArrayEquals(wantOut, bits(out), "outputs, call " + call);
                assertArrayEquals(wantIndex, index, "winners, call " + call);
                for (int k = 0; k < 4; k++) {
                    assertArrayEquals(wantSpread[k], bits(spread[k]), "gradients of position " + k + ", call " + call);
                }
                assertArrayEquals(new float[N], check, "no window or gradient is flagged");
            }
        }
    }

    @Test
    void reluGradientKeepsItsBitsWhenCompiled() {
        Random random = new Random(4);
        float[] ys = {0f, -0f, 1f, Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY, 0.5f};
        float[] vs = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 0.25f};
        float[] y = new float[N];
        float[] v0 = new float[N];
        for (int j = 0; j < N; j++) {
            y[j] = ys[random.nextInt(ys.length)];
            v0[j] = vs[random.nextInt(vs.length)];
        }
        int[] want = new int[N];
        for (int j = 0; j < N; j++) {
            want[j] = Float.floatToRawIntBits(y[j] > 0 ? v0[j] : 0f);
        }
        float[] v = new float[N];
        for (int call = 0; call < CALLS; call++) {
            System.arraycopy(v0, 0, v, 0, N);
            DirectConvRows.reluGradient(N, y, v, DirectConv.NO_PENALTY, 0f);
            if (call == 0 || call == CALLS - 1) {
                assertArrayEquals(want, bits(v), "dL/dz, call " + call);
            }
        }
    }

    /**
     * WinogradRows' loops: sums and differences (exact IEEE operations whichever way C2 runs them,
     * checked anyway) and the output's bias and floor, whose vector max must keep Math.max's −0
     * and NaN rules; against definitions written here, at the first call and after many.
     */
    @Test
    void winogradLoopsKeepTheirBitsWhenCompiled() {
        Random random = new Random(5);
        float[] values = {0f, -0f, 1f, -1f, 0.5f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3.25e-3f};
        float[][] d = new float[4][N];
        for (float[] row : d) {
            for (int j = 0; j < N; j++) {
                row[j] = values[random.nextInt(values.length)];
            }
        }
        float bias = -0f;
        int[][] want = new int[10][N];
        for (int j = 0; j < N; j++) {
            float a = d[0][j], b = d[1][j], c = d[2][j], e = d[3][j];
            want[0][j] = Float.floatToRawIntBits(a - c);
            want[1][j] = Float.floatToRawIntBits(b + c);
            want[2][j] = Float.floatToRawIntBits(c - b);
            want[3][j] = Float.floatToRawIntBits(b - e);
            want[4][j] = Float.floatToRawIntBits(a - b);
            want[5][j] = Float.floatToRawIntBits(a + b + c);
            want[6][j] = Float.floatToRawIntBits(b - c - e);
            want[7][j] = Float.floatToRawIntBits(Math.max(a + b + c + bias, 0f));
            want[8][j] = Float.floatToRawIntBits(Math.max(b - c - e + bias, 0f));
            want[9][j] = Float.floatToRawIntBits(Math.max(a + b + c + bias, Float.NEGATIVE_INFINITY));
        }
        float[][] o = new float[10][N];
        float[] unused = new float[N];
        for (int call = 0; call < CALLS; call++) {
            WinogradRows.transform4(N, d[0], d[1], d[2], d[3], o[0], o[1], o[2], o[3]);
            WinogradRows.combineRows(N, d[0], d[1], -1f, o[4]);
            WinogradRows.combine(N, d[0], d[1], d[2], d[3], o[5], o[6]);
            WinogradRows.combineAndFloor(N, d[0], d[1], d[2], d[3], o[7], o[8], bias, 0f);
            WinogradRows.combineAndFloor(N, d[0], d[1], d[2], d[3], o[9], unused, bias, Float.NEGATIVE_INFINITY);
            if (call == 0 || call == CALLS - 1) {
                for (int r = 0; r < 10; r++) {
                    assertArrayEquals(want[r], bits(o[r]), "output " + r + ", call " + call);
                }
            }
        }
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
