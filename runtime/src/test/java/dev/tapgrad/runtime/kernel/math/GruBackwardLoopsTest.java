package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GruBackwardLoops} gives the bits of the straight per-unit loop ({@code
 * RecurrentCells.Portable.gruBackwardFrom}, whose formulas RecurrentCellsTest checks in float64)
 * for unit counts below, at and across the chunk size, at offsets inside longer arrays, at the
 * first call and after 30,000 calls (when C2 has compiled the work-array loop to vector code).
 */
class GruBackwardLoopsTest {
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
            GruBackwardLoops.gru(units, dh, dOff, gates, gOff, hPrev, hOff, recH, dIn, step, sOff);
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

    private static float[] fill(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
