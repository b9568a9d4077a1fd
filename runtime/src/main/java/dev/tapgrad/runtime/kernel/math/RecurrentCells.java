package dev.tapgrad.runtime.kernel.math;

import dev.tapgrad.runtime.kernel.Platform;
import java.lang.invoke.MethodHandles;

/**
 * The element-wise part of a recurrent cell's (GRU's or LSTM's) forward or backward step, for one
 * example, fused into one pass over its units: with the Vector API wherever {@link Platform#vectorUsable} allows, else value by
 * value. In backward both paths do the same float operations in the same order, lane by lane, so
 * they give the same bits; in forward the vector path computes σ and tanh with the JDK's vector exp
 * and tanh and h_t in float, so the two agree to a few ulps, as {@link ElementMath}'s paths do.
 */
public final class RecurrentCells {
    /** What a path provides; {@code VectorRecurrentCells} is loaded by name only where the module is present. */
    interface Impl {
        void gruForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] hs, int hOff, int hNext,
                float[] recH, float[] hStep, int hsOff);

        void gruBackward(int units, float[] dh, int dOff, float[] gates, int gOff, float[] hPrev, int hOff,
                float[] recH, float[] dIn, float[] step, int sOff);

        void lstmForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] cPrev, int pOff,
                float[] cs, float[] tanhCs, int cOff, float[] hs, int hNext, float[] hStep, int hsOff);

        void lstmBackward(int units, float[] dh, float[] dc, int dOff, float[] gOut, int go, float[] gates, int gOff,
                float[] tanhCs, int cOff, float[] cPrev, int pOff, float[] dz, int sOff);
    }

    static final Impl PORTABLE = new Portable();
    private static final Impl ACTIVE =
            Platform.vectorTwin(MethodHandles.lookup(), Impl.class, "VectorRecurrentCells", PORTABLE);

    private RecurrentCells() {}

    /** Which path runs, for benchmarks and logs: "vector" or "portable". */
    public static String pathName() {
        return ACTIVE == PORTABLE ? "portable" : "vector";
    }

    /**
     * A Keras reset_after GRU's step backward for one example. In: dL/dh_t at {@code dh[dOff…]};
     * z, r, h̃ as three blocks of {@code units} at {@code gates[gOff…]}; h_{t−1} at {@code
     * hPrev[hOff…]}; the recurrent h-block projection at {@code recH[hOff…]}. Out: dL/d(input
     * projection) (aZ, aR, aH) at {@code dIn[gOff…]}, dL/d(recurrent projection) (aZ, aR, aH·r) at
     * {@code step[sOff…]}, and z·dL/dh_t, the direct part of dL/dh_{t−1}, back into {@code dh}.
     */
    public static void gruBackward(int units, float[] dh, int dOff, float[] gates, int gOff, float[] hPrev, int hOff,
            float[] recH, float[] dIn, float[] step, int sOff) {
        ACTIVE.gruBackward(units, dh, dOff, gates, gOff, hPrev, hOff, recH, dIn, step, sOff);
    }

    /**
     * A Keras reset_after GRU's step forward for one example: with the input projection (x_z, x_r,
     * x_h) at {@code gates[gOff…]} and the recurrent one (h_z, h_r, h_h, bias included) at {@code
     * step[sOff…]}, leaves z = σ(x_z + h_z), r = σ(x_r + h_r), h̃ = tanh(x_h + r·h_h) in gates, h_h
     * in {@code recH[hOff…]}, and h_t = z·h_{t−1} + (1 − z)·h̃, with h_{t−1} read at {@code
     * hs[hOff…]}, at {@code hs[hNext…]} and {@code hStep[hsOff…]}.
     */
    public static void gruForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] hs, int hOff,
            int hNext, float[] recH, float[] hStep, int hsOff) {
        ACTIVE.gruForward(units, gates, gOff, step, sOff, hs, hOff, hNext, recH, hStep, hsOff);
    }

    /**
     * A Keras LSTM's step forward for one example, gate blocks i, f, c, o: with the input projection
     * (bias included) at {@code gates[gOff…]} and, unless {@code step} is null (the first step), the
     * recurrent one at {@code step[sOff…]}, leaves i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
     * in gates, c_t = f·c_{t−1} + i·g at {@code cs[cOff…]} (c_{t−1} read at {@code cPrev[pOff…]}),
     * tanh(c_t) at {@code tanhCs[cOff…]}, and h_t = o·tanh(c_t) at {@code hs[hNext…]} and {@code
     * hStep[hsOff…]}.
     */
    public static void lstmForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] cPrev, int pOff,
            float[] cs, float[] tanhCs, int cOff, float[] hs, int hNext, float[] hStep, int hsOff) {
        ACTIVE.lstmForward(units, gates, gOff, step, sOff, cPrev, pOff, cs, tanhCs, cOff, hs, hNext, hStep, hsOff);
    }

    /**
     * A Keras LSTM's step backward for one example. In: dL/dh_t flowing back at {@code dh[dOff…]},
     * plus dL/dout at {@code gOut[go…]} unless gOut is null, and dL/dc_t at {@code dc[dOff…]}; the
     * activated gates i, f, g, o at {@code gates[gOff…]}, tanh(c_t) at {@code tanhCs[cOff…]},
     * c_{t−1} at {@code cPrev[pOff…]}. Out: dL/dz (blocks i, f, c, o) at {@code dz[sOff…]},
     * dL/dh_t (with dL/dout added) in dh, and dL/dc_{t−1} = f·dL/dc_t in dc.
     */
    public static void lstmBackward(int units, float[] dh, float[] dc, int dOff, float[] gOut, int go, float[] gates,
            int gOff, float[] tanhCs, int cOff, float[] cPrev, int pOff, float[] dz, int sOff) {
        ACTIVE.lstmBackward(units, dh, dc, dOff, gOut, go, gates, gOff, tanhCs, cOff, cPrev, pOff, dz, sOff);
    }

    /**
     * Forward value by value, the arithmetic in double; the LSTM's backward in one straight loop
     * (C2 vectorises it as it is), the GRU's through {@link GruBackwardLoops} (work arrays, as C2
     * leaves its straight loop scalar) with the same float operations as {@code gruBackwardFrom}
     * here, which remains for the vector path's tail.
     */
    static final class Portable implements Impl {
        @Override
        public void lstmForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] cPrev, int pOff,
                float[] cs, float[] tanhCs, int cOff, float[] hs, int hNext, float[] hStep, int hsOff) {
            if (step != null) {
                for (int q = 0; q < 4 * units; q++) {
                    gates[gOff + q] += step[sOff + q];
                }
            }
            // The gates' exps and tanhs a run at a time (vectorised where the Vector API is on).
            ElementMath.sigmoid(gates, gOff, 2 * units);
            ElementMath.tanh(gates, gOff + 2 * units, units);
            ElementMath.sigmoid(gates, gOff + 3 * units, units);
            for (int k = 0; k < units; k++) {
                int gi = gOff + k;
                float c = (float) (gates[gi + units] * (double) cPrev[pOff + k] + (double) gates[gi] * gates[gi + 2 * units]);
                cs[cOff + k] = c;
                tanhCs[cOff + k] = c;
            }
            ElementMath.tanh(tanhCs, cOff, units);
            for (int k = 0; k < units; k++) {
                // A product of two floats is exact in double, so this is the float product o·tanh(c_t).
                float h = (float) ((double) gates[gOff + 3 * units + k] * tanhCs[cOff + k]);
                hs[hNext + k] = h;
                hStep[hsOff + k] = h;
            }
        }

        @Override
        public void lstmBackward(int units, float[] dh, float[] dc, int dOff, float[] gOut, int go, float[] gates,
                int gOff, float[] tanhCs, int cOff, float[] cPrev, int pOff, float[] dz, int sOff) {
            lstmBackwardFrom(0, units, dh, dc, dOff, gOut, go, gates, gOff, tanhCs, cOff, cPrev, pOff, dz, sOff);
        }

        /**
         * Units {@code from …} of {@link #lstmBackward}: float arithmetic in one straight loop (the
         * vector path does the same operations in the same order, so the two give the same bits).
         */
        static void lstmBackwardFrom(int from, int units, float[] dh, float[] dc, int dOff, float[] gOut, int go,
                float[] gates, int gOff, float[] tanhCs, int cOff, float[] cPrev, int pOff, float[] dz, int sOff) {
            for (int k = from; k < units; k++) {
                float dhk = gOut == null ? dh[dOff + k] : dh[dOff + k] + gOut[go + k];
                dh[dOff + k] = dhk;
                float i = gates[gOff + k];
                float f = gates[gOff + units + k];
                float g = gates[gOff + 2 * units + k];
                float o = gates[gOff + 3 * units + k];
                float tc = tanhCs[cOff + k];
                float dck = dc[dOff + k] + dhk * o * (1 - tc * tc);
                dc[dOff + k] = dck * f;
                dz[sOff + k] = dck * g * i * (1 - i);
                dz[sOff + units + k] = dck * cPrev[pOff + k] * f * (1 - f);
                dz[sOff + 2 * units + k] = dck * i * (1 - g * g);
                dz[sOff + 3 * units + k] = dhk * tc * o * (1 - o);
            }
        }

        @Override
        public void gruForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] hs, int hOff,
                int hNext, float[] recH, float[] hStep, int hsOff) {
            for (int q = 0; q < 2 * units; q++) {
                gates[gOff + q] += step[sOff + q];
            }
            ElementMath.sigmoid(gates, gOff, 2 * units);
            for (int k = 0; k < units; k++) {
                float rh = step[sOff + 2 * units + k];
                recH[hOff + k] = rh;
                gates[gOff + 2 * units + k] += gates[gOff + units + k] * rh;
            }
            ElementMath.tanh(gates, gOff + 2 * units, units);
            for (int k = 0; k < units; k++) {
                float z = gates[gOff + k];
                float hh = gates[gOff + 2 * units + k];
                float h = (float) (z * (double) hs[hOff + k] + (1 - (double) z) * hh);
                hs[hNext + k] = h;
                hStep[hsOff + k] = h;
            }
        }

        @Override
        public void gruBackward(int units, float[] dh, int dOff, float[] gates, int gOff, float[] hPrev, int hOff,
                float[] recH, float[] dIn, float[] step, int sOff) {
            GruBackwardLoops.gru(units, dh, dOff, gates, gOff, hPrev, hOff, recH, dIn, step, sOff);
        }

        static void gruBackwardFrom(int from, int units, float[] dh, int dOff, float[] gates, int gOff, float[] hPrev,
                int hOff, float[] recH, float[] dIn, float[] step, int sOff) {
            for (int k = from; k < units; k++) {
                float dhk = dh[dOff + k];
                float z = gates[gOff + k];
                float r = gates[gOff + units + k];
                float hh = gates[gOff + 2 * units + k];
                float aH = dhk * (1 - z) * (1 - hh * hh);
                float aZ = dhk * (hPrev[hOff + k] - hh) * z * (1 - z);
                float aR = aH * recH[hOff + k] * r * (1 - r);
                dIn[gOff + k] = aZ;
                dIn[gOff + units + k] = aR;
                dIn[gOff + 2 * units + k] = aH;
                step[sOff + k] = aZ;
                step[sOff + units + k] = aR;
                step[sOff + 2 * units + k] = aH * r;
                dh[dOff + k] = dhk * z;
            }
        }
    }
}
