package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CellBackwardLoops} gives the bits of the straight per-unit loops ({@code
 * RecurrentCells.Portable.gruBackwardFrom} and {@code lstmBackwardFrom}, whose formulas
 * RecurrentCellsTest checks in float64) for unit counts below, at and across the chunk size, at
 * offsets inside longer arrays, with and without dL/dout, at the first call and after 30,000 calls
 * (when C2 has compiled the work-array loops to vector code).
 */
class CellBackwardLoopsTest {
    private static final int[] UNITS = {1, 5, 64, 127, 128, 129, 300};

    @Test
    void gruBackwardGivesTheStraightLoopsBits() {
        Random r = new Random(11);
        for (int call = 0; call < 30_000; call++) {
            boolean check = call < 3 || call >= 29_990;
            int units = check ? UNITS[call % UNITS.length] : 64;
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
            CellBackwardLoops.gru(units, dh, dOff, gates, gOff, hPrev, hOff, recH, dIn, step, sOff);
            if (check) {
                RecurrentCells.Portable.gruBackwardFrom(0, units, dh2, dOff, gates, gOff, hPrev, hOff, recH, dIn2, step2,
                        sOff);
                String where = "units " + units + ", call " + call;
                assertArrayEquals(dh2, dh, "dh, " + where);
                assertArrayEquals(dIn2, dIn, "dIn, " + where);
                assertArrayEquals(step2, step, "step, " + where);
            }
        }
    }

    @Test
    void lstmBackwardGivesTheStraightLoopsBits() {
        Random r = new Random(12);
        for (int call = 0; call < 30_000; call++) {
            boolean check = call < 6 || call >= 29_986;
            int units = check ? UNITS[call % UNITS.length] : 64;
            boolean withOut = call % 2 == 0;
            int dOff = 2;
            int go = 5;
            int gOff = 4 * units + 3;
            int cOff = units + 4;
            int pOff = 1;
            int sOff = 6;
            float[] dh = fill(r, dOff + units + 1);
            float[] dc = fill(r, dOff + units + 3);
            float[] gOut = withOut ? fill(r, go + units + 2) : null;
            float[] gates = fill(r, gOff + 4 * units + 1);
            float[] tanhCs = fill(r, cOff + units + 2);
            float[] cPrev = fill(r, pOff + units + 5);
            float[] dz = fill(r, sOff + 4 * units + 2);
            float[] dh2 = dh.clone();
            float[] dc2 = dc.clone();
            float[] dz2 = dz.clone();
            CellBackwardLoops.lstm(units, dh, dc, dOff, gOut, go, gates, gOff, tanhCs, cOff, cPrev, pOff, dz, sOff);
            if (check) {
                RecurrentCells.Portable.lstmBackwardFrom(0, units, dh2, dc2, dOff, gOut, go, gates, gOff, tanhCs, cOff,
                        cPrev, pOff, dz2, sOff);
                String where = "units " + units + (withOut ? " with" : " without") + " dL/dout, call " + call;
                assertArrayEquals(dh2, dh, "dh, " + where);
                assertArrayEquals(dc2, dc, "dc, " + where);
                assertArrayEquals(dz2, dz, "dz, " + where);
            }
        }
    }

    private static float[] fill(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
