package dev.tapgrad.runtime.kernel.math;

/**
 * The portable GRU and LSTM step backward ({@link RecurrentCells#gruBackward}, {@link
 * RecurrentCells#lstmBackward}) as loops that JDK 17's C2 vectorises: its auto-vectoriser leaves
 * a loop scalar when it reads an array at an offset from the loop variable ({@code a[off + k]}),
 * as the cells' arrays are, so a chunk of up to {@value #CHUNK} units is copied into work arrays
 * indexed by the loop variable itself (System.arraycopy, an intrinsic), computed there, and copied
 * out. The float operations are those of {@code RecurrentCells.Portable.gruBackwardFrom} and
 * {@code lstmBackwardFrom} in the same order, so the bits are the same (and the vector path's).
 */
final class CellBackwardLoops {
    private static final int CHUNK = 128;

    /** One thread's work arrays, a chunk each: read once into locals, so each loop sees plain arrays. */
    private static final class Work {
        final float[] a = new float[CHUNK];
        final float[] b = new float[CHUNK];
        final float[] c = new float[CHUNK];
        final float[] d = new float[CHUNK];
        final float[] e = new float[CHUNK];
        final float[] f = new float[CHUNK];
        final float[] g = new float[CHUNK];
        final float[] h = new float[CHUNK];
        final float[] i = new float[CHUNK];
        final float[] j = new float[CHUNK];
        final float[] k = new float[CHUNK];
        final float[] l = new float[CHUNK];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private CellBackwardLoops() {}

    /** {@link RecurrentCells#gruBackward}, a chunk of units at a time. */
    static void gru(int units, float[] dh, int dOff, float[] gates, int gOff, float[] hPrev, int hOff, float[] recH,
            float[] dIn, float[] step, int sOff) {
        Work w = WORK.get();
        float[] dhW = w.a;
        float[] zW = w.b;
        float[] rW = w.c;
        float[] hhW = w.d;
        float[] hpW = w.e;
        float[] rhW = w.f;
        float[] aZW = w.g;
        float[] aRW = w.h;
        float[] aHW = w.i;
        float[] aHrW = w.j;
        for (int k0 = 0; k0 < units; k0 += CHUNK) {
            int n = Math.min(CHUNK, units - k0);
            System.arraycopy(dh, dOff + k0, dhW, 0, n);
            System.arraycopy(gates, gOff + k0, zW, 0, n);
            System.arraycopy(gates, gOff + units + k0, rW, 0, n);
            System.arraycopy(gates, gOff + 2 * units + k0, hhW, 0, n);
            System.arraycopy(hPrev, hOff + k0, hpW, 0, n);
            System.arraycopy(recH, hOff + k0, rhW, 0, n);
            for (int k = 0; k < n; k++) {
                float dhk = dhW[k];
                float z = zW[k];
                float r = rW[k];
                float hh = hhW[k];
                float aH = dhk * (1 - z) * (1 - hh * hh);
                float aZ = dhk * (hpW[k] - hh) * z * (1 - z);
                aZW[k] = aZ;
                aRW[k] = aH * rhW[k] * r * (1 - r);
                aHW[k] = aH;
                aHrW[k] = aH * r;
                dhW[k] = dhk * z;
            }
            System.arraycopy(aZW, 0, dIn, gOff + k0, n);
            System.arraycopy(aRW, 0, dIn, gOff + units + k0, n);
            System.arraycopy(aHW, 0, dIn, gOff + 2 * units + k0, n);
            System.arraycopy(aZW, 0, step, sOff + k0, n);
            System.arraycopy(aRW, 0, step, sOff + units + k0, n);
            System.arraycopy(aHrW, 0, step, sOff + 2 * units + k0, n);
            System.arraycopy(dhW, 0, dh, dOff + k0, n);
        }
    }

    /** {@link RecurrentCells#lstmBackward}, a chunk of units at a time. */
    static void lstm(int units, float[] dh, float[] dc, int dOff, float[] gOut, int go, float[] gates, int gOff,
            float[] tanhCs, int cOff, float[] cPrev, int pOff, float[] dz, int sOff) {
        Work w = WORK.get();
        float[] dhW = w.a;
        float[] dcW = w.b;
        float[] iW = w.c;
        float[] fW = w.d;
        float[] gW = w.e;
        float[] oW = w.f;
        float[] tcW = w.g;
        float[] cpW = w.h;
        float[] dzI = w.i;
        float[] dzF = w.j;
        float[] dzC = w.k;
        float[] dzO = w.l;
        for (int k0 = 0; k0 < units; k0 += CHUNK) {
            int n = Math.min(CHUNK, units - k0);
            System.arraycopy(dh, dOff + k0, dhW, 0, n);
            if (gOut != null) {
                // dL/dout joins dL/dh_t first, as in lstmBackwardFrom (dzI is free until the main loop).
                System.arraycopy(gOut, go + k0, dzI, 0, n);
                for (int k = 0; k < n; k++) {
                    dhW[k] += dzI[k];
                }
            }
            System.arraycopy(dc, dOff + k0, dcW, 0, n);
            System.arraycopy(gates, gOff + k0, iW, 0, n);
            System.arraycopy(gates, gOff + units + k0, fW, 0, n);
            System.arraycopy(gates, gOff + 2 * units + k0, gW, 0, n);
            System.arraycopy(gates, gOff + 3 * units + k0, oW, 0, n);
            System.arraycopy(tanhCs, cOff + k0, tcW, 0, n);
            System.arraycopy(cPrev, pOff + k0, cpW, 0, n);
            for (int k = 0; k < n; k++) {
                float dhk = dhW[k];
                float i = iW[k];
                float f = fW[k];
                float g = gW[k];
                float o = oW[k];
                float tc = tcW[k];
                float dck = dcW[k] + dhk * o * (1 - tc * tc);
                dcW[k] = dck * f;
                dzI[k] = dck * g * i * (1 - i);
                dzF[k] = dck * cpW[k] * f * (1 - f);
                dzC[k] = dck * i * (1 - g * g);
                dzO[k] = dhk * tc * o * (1 - o);
            }
            System.arraycopy(dhW, 0, dh, dOff + k0, n);
            System.arraycopy(dcW, 0, dc, dOff + k0, n);
            System.arraycopy(dzI, 0, dz, sOff + k0, n);
            System.arraycopy(dzF, 0, dz, sOff + units + k0, n);
            System.arraycopy(dzC, 0, dz, sOff + 2 * units + k0, n);
            System.arraycopy(dzO, 0, dz, sOff + 3 * units + k0, n);
        }
    }
}
