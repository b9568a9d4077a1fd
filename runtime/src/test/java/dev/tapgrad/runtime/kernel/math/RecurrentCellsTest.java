package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RecurrentCells}: the active path (the vector one where the build runs tests with the
 * module) gives the portable path's bits in backward, for unit counts that are and are not a
 * multiple of the lanes, at offsets inside longer arrays; both paths' forward steps match the
 * GRU's and the LSTM's formulas in float64; and the portable backward steps compute the formulas,
 * checked in float64 on one unit.
 */
class RecurrentCellsTest {
    @Test
    void theVectorPathRunsWhereTheModuleIsPresent() {
        // Otherwise the tests below would compare the portable path with itself.
        if (dev.tapgrad.runtime.kernel.Platform.vectorUsable()) {
            assertEquals("vector", RecurrentCells.pathName());
        } else {
            assertEquals("portable", RecurrentCells.pathName());
        }
    }

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

    @Test
    void theActiveLstmBackwardGivesThePortableBits() {
        Random r = new Random(6);
        for (int units : new int[] {64, 37, 5, 16}) {
            for (boolean fromOut : new boolean[] {true, false}) {
                int gOff = 4 * units + 2, cOff = units + 1, pOff = 3, dOff = 2, sOff = 5, go = 4;
                float[] gates = sigmoids(r, gOff + 4 * units + 3);
                float[] tanhCs = fill(r, cOff + units + 2);
                float[] cPrev = fill(r, pOff + units + 1);
                float[] gOut = fromOut ? fill(r, go + units + 1) : null;
                float[] dh = fill(r, dOff + units + 2), dc = fill(r, dOff + units + 2);
                float[] dz = fill(r, sOff + 4 * units + 1);
                float[] dh2 = dh.clone(), dc2 = dc.clone(), dz2 = dz.clone();
                RecurrentCells.lstmBackward(units, dh, dc, dOff, gOut, go, gates, gOff, tanhCs, cOff, cPrev, pOff, dz, sOff);
                RecurrentCells.PORTABLE.lstmBackward(units, dh2, dc2, dOff, gOut, go, gates, gOff, tanhCs, cOff, cPrev,
                        pOff, dz2, sOff);
                String where = "units " + units + (fromOut ? ", with dL/dout" : "");
                assertArrayEquals(dh2, dh, "dh, " + where);
                assertArrayEquals(dc2, dc, "dc, " + where);
                assertArrayEquals(dz2, dz, "dz, " + where);
            }
        }
    }

    @Test
    void lstmForwardMatchesTheFormulasInFloat64OnBothPaths() {
        Random r = new Random(10);
        for (int units : new int[] {64, 32, 16, 5}) {
            for (boolean first : new boolean[] {true, false}) {
                int gOff = 4 * units + 1, sOff = 2, pOff = 3, cOff = units + 2, hNext = 2 * units, hsOff = 3;
                float[] gates0 = fill(r, gOff + 4 * units);
                float[] step = first ? null : fill(r, sOff + 4 * units);
                float[] cPrev = first ? new float[pOff + units] : fill(r, pOff + units);
                for (int path = 0; path < 2; path++) {
                    float[] gates = gates0.clone();
                    float[] cs = new float[cOff + units], tanhCs = new float[cOff + units];
                    float[] hs = new float[hNext + units + 1], hStep = new float[hsOff + units];
                    if (path == 0) {
                        RecurrentCells.lstmForward(units, gates, gOff, step, sOff, cPrev, pOff, cs, tanhCs, cOff, hs,
                                hNext, hStep, hsOff);
                    } else {
                        RecurrentCells.PORTABLE.lstmForward(units, gates, gOff, step, sOff, cPrev, pOff, cs, tanhCs,
                                cOff, hs, hNext, hStep, hsOff);
                    }
                    for (int k = 0; k < units; k++) {
                        double[] z = new double[4];
                        for (int b = 0; b < 4; b++) {
                            z[b] = (double) gates0[gOff + b * units + k] + (first ? 0 : step[sOff + b * units + k]);
                        }
                        double i = sigma(z[0]), f = sigma(z[1]), g = Math.tanh(z[2]), o = sigma(z[3]);
                        double c = f * cPrev[pOff + k] + i * g;
                        String where = "path " + path + ", units " + units + ", unit " + k + (first ? ", first step" : "");
                        assertEquals(i, gates[gOff + k], 1e-6, where);
                        assertEquals(f, gates[gOff + units + k], 1e-6, where);
                        assertEquals(g, gates[gOff + 2 * units + k], 1e-6, where);
                        assertEquals(o, gates[gOff + 3 * units + k], 1e-6, where);
                        assertEquals(c, cs[cOff + k], 1e-6, where);
                        assertEquals(Math.tanh(c), tanhCs[cOff + k], 1e-6, where);
                        assertEquals(o * Math.tanh(c), hs[hNext + k], 1e-6, where);
                        assertEquals(hs[hNext + k], hStep[hsOff + k], where);
                    }
                }
            }
        }
    }

    @Test
    void thePortablePathComputesTheLstmBackwardFormulas() {
        float i = 0.3f, f = 0.7f, g = -0.4f, o = 0.6f, tc = 0.5f, cPrev = -0.8f, dhIn = 1.5f, out = -0.25f, dcIn = 0.9f;
        float[] dh = {dhIn};
        float[] dc = {dcIn};
        float[] dz = new float[4];
        RecurrentCells.PORTABLE.lstmBackward(1, dh, dc, 0, new float[] {out}, 0, new float[] {i, f, g, o}, 0,
                new float[] {tc}, 0, new float[] {cPrev}, 0, dz, 0);
        // h = o·tanh(c), c = f·cPrev + i·g; i, f, o = σ(z), g = tanh(z_c).
        double d = (double) dhIn + out;
        double dcT = dcIn + d * o * (1 - (double) tc * tc);
        assertEquals(d, dh[0], 1e-6);
        assertEquals(dcT * f, dc[0], 1e-6);
        assertEquals(dcT * g * i * (1 - (double) i), dz[0], 1e-6);
        assertEquals(dcT * cPrev * f * (1 - (double) f), dz[1], 1e-6);
        assertEquals(dcT * i * (1 - (double) g * g), dz[2], 1e-6);
        assertEquals(d * tc * o * (1 - (double) o), dz[3], 1e-6);
    }

    private static double sigma(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    /** Values in (0, 1), as activated gates are (g's block then stands for a tanh in (−1, 1) well enough). */
    private static float[] sigmoids(Random r, int n) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) r.nextDouble();
        }
        return v;
    }

    private static float[] fill(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
