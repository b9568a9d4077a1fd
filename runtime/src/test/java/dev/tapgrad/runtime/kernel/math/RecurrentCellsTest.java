package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RecurrentCells}: the active path (the vector one where the build runs tests with the
 * module) gives the portable path's bits, for unit counts that are and are not a multiple of the
 * lanes, at offsets inside longer arrays; and the portable path computes the GRU's backward
 * formulas, checked in float64 on one unit.
 */
class RecurrentCellsTest {
    @Test
    void theActivePathGivesThePortableBits() {
        Random r = new Random(5);
        for (int units : new int[] {64, 37, 5, 16}) {
            int gOff = 3 * units + 2;
            int hOff = units + 1;
            int dOff = 3;
            int sOff = 7;
            float[] gates = fill(r, gOff + 3 * units + 4);
            float[] hPrev = fill(r, hOff + units + 2);
            float[] recH = fill(r, hOff + units + 2);
            float[] dh = fill(r, dOff + units + 2);
            float[] dIn = fill(r, gOff + 3 * units + 4);
            float[] step = fill(r, sOff + 3 * units + 1);
            float[] dh2 = dh.clone();
            float[] dIn2 = dIn.clone();
            float[] step2 = step.clone();
            RecurrentCells.gruBackward(units, dh, dOff, gates, gOff, hPrev, hOff, recH, dIn, step, sOff);
            RecurrentCells.PORTABLE.gruBackward(units, dh2, dOff, gates, gOff, hPrev, hOff, recH, dIn2, step2, sOff);
            assertArrayEquals(dh2, dh, "dh, units " + units);
            assertArrayEquals(dIn2, dIn, "dIn, units " + units);
            assertArrayEquals(step2, step, "step, units " + units);
        }
    }

    @Test
    void forwardMatchesTheGruFormulasInFloat64OnBothPaths() {
        Random r = new Random(9);
        for (int units : new int[] {64, 32, 16, 5}) {
            int gOff = 3 * units + 1;
            int sOff = 2;
            int hOff = units;
            int hNext = 3 * units;
            float[] gates0 = fill(r, gOff + 3 * units);
            float[] step = fill(r, sOff + 3 * units);
            float[] hs0 = fill(r, hNext + units + 1);
            for (int path = 0; path < 2; path++) {
                float[] gates = gates0.clone();
                float[] hs = hs0.clone();
                float[] recH = new float[hOff + units];
                float[] hStep = new float[units + 3];
                if (path == 0) {
                    RecurrentCells.gruForward(units, gates, gOff, step, sOff, hs, hOff, hNext, recH, hStep, 3);
                } else {
                    RecurrentCells.PORTABLE.gruForward(units, gates, gOff, step, sOff, hs, hOff, hNext, recH, hStep, 3);
                }
                for (int k = 0; k < units; k++) {
                    double z = 1 / (1 + Math.exp(-((double) gates0[gOff + k] + step[sOff + k])));
                    double rr = 1 / (1 + Math.exp(-((double) gates0[gOff + units + k] + step[sOff + units + k])));
                    double hh = Math.tanh(gates0[gOff + 2 * units + k] + rr * step[sOff + 2 * units + k]);
                    double h = z * hs0[hOff + k] + (1 - z) * hh;
                    String where = "path " + path + ", units " + units + ", unit " + k;
                    assertEquals(z, gates[gOff + k], 1e-6, where);
                    assertEquals(rr, gates[gOff + units + k], 1e-6, where);
                    assertEquals(hh, gates[gOff + 2 * units + k], 1e-6, where);
                    assertEquals(step[sOff + 2 * units + k], recH[hOff + k], where);
                    assertEquals(h, hs[hNext + k], 1e-6, where);
                    assertEquals(hs[hNext + k], hStep[3 + k], where);
                }
            }
        }
    }

    @Test
    void thePortablePathComputesTheGruBackwardFormulas() {
        float z = 0.3f, rr = 0.6f, hh = -0.4f, hPrev = 0.25f, recH = 0.8f, d = 1.5f;
        float[] dh = {d};
        float[] dIn = new float[3];
        float[] step = new float[3];
        RecurrentCells.PORTABLE.gruBackward(1, dh, 0, new float[] {z, rr, hh}, 0, new float[] {hPrev}, 0,
                new float[] {recH}, dIn, step, 0);
        // h = z·hPrev + (1 − z)·tanh(a_h), a_h = x_h + r·recH; z = σ(a_z), r = σ(a_r).
        double aH = d * (1 - (double) z) * (1 - (double) hh * hh);
        double aZ = d * ((double) hPrev - hh) * z * (1 - (double) z);
        double aR = aH * recH * rr * (1 - (double) rr);
        assertEquals(aZ, dIn[0], 1e-6);
        assertEquals(aR, dIn[1], 1e-6);
        assertEquals(aH, dIn[2], 1e-6);
        assertEquals(aZ, step[0], 1e-6);
        assertEquals(aR, step[1], 1e-6);
        assertEquals(aH * rr, step[2], 1e-6);
        assertEquals(d * z, dh[0], 1e-6);
    }

    private static float[] fill(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
