package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RecurrentCells} on the Vector API: whole vectors of units at a time, in one pass over
 * the gates. Backward does the operations of the portable loop in its order (no fused
 * multiply-adds, so the bits agree), the tail value by value; forward fuses the gates' sums, σ,
 * tanh and the new state (for unit counts that are a multiple of the lanes), so that an LSTM step
 * reads its gates once instead of in six passes. Loaded by class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorRecurrentCells implements RecurrentCells.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void gruForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] hs, int hOff,
            int hNext, float[] recH, float[] hStep, int hsOff) {
        if (units % S.length() != 0) {
            // A tail would need its own sigmoid and tanh; the portable step is as exact.
            RecurrentCells.PORTABLE.gruForward(units, gates, gOff, step, sOff, hs, hOff, hNext, recH, hStep, hsOff);
            return;
        }
        for (int k = 0; k < units; k += S.length()) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            FloatVector az = FloatVector.fromArray(S, gates, gOff + k).add(FloatVector.fromArray(S, step, sOff + k));
            FloatVector ar = FloatVector.fromArray(S, gates, gOff + units + k)
                    .add(FloatVector.fromArray(S, step, sOff + units + k));
            // σ(a) = 1 / (1 + exp(−a)): exp overflows to ∞ for very negative a, and 1/∞ is the right 0.
            FloatVector z = one.div(az.neg().lanewise(VectorOperators.EXP).add(one));
            FloatVector r = one.div(ar.neg().lanewise(VectorOperators.EXP).add(one));
            FloatVector rh = FloatVector.fromArray(S, step, sOff + 2 * units + k);
            FloatVector hh = r.fma(rh, FloatVector.fromArray(S, gates, gOff + 2 * units + k))
                    .lanewise(VectorOperators.TANH);
            FloatVector hPrev = FloatVector.fromArray(S, hs, hOff + k);
            // z·h_{t−1} + (1 − z)·h̃ = h̃ + z·(h_{t−1} − h̃), one rounding fewer.
            FloatVector h = z.fma(hPrev.sub(hh), hh);
            z.intoArray(gates, gOff + k);
            r.intoArray(gates, gOff + units + k);
            hh.intoArray(gates, gOff + 2 * units + k);
            rh.intoArray(recH, hOff + k);
            h.intoArray(hs, hNext + k);
            h.intoArray(hStep, hsOff + k);
        }
    }

    @Override
    public void gruBackward(int units, float[] dh, int dOff, float[] gates, int gOff, float[] hPrev, int hOff,
            float[] recH, float[] dIn, float[] step, int sOff) {
        int k = 0;
        for (int upper = S.loopBound(units); k < upper; k += S.length()) {
            FloatVector dhk = FloatVector.fromArray(S, dh, dOff + k);
            FloatVector z = FloatVector.fromArray(S, gates, gOff + k);
            FloatVector r = FloatVector.fromArray(S, gates, gOff + units + k);
            FloatVector hh = FloatVector.fromArray(S, gates, gOff + 2 * units + k);
            FloatVector oneMinusZ = z.neg().add(1f);
            FloatVector aH = dhk.mul(oneMinusZ).mul(hh.mul(hh).neg().add(1f));
            FloatVector aZ = dhk.mul(FloatVector.fromArray(S, hPrev, hOff + k).sub(hh)).mul(z).mul(oneMinusZ);
            FloatVector aR = aH.mul(FloatVector.fromArray(S, recH, hOff + k)).mul(r).mul(r.neg().add(1f));
            aZ.intoArray(dIn, gOff + k);
            aR.intoArray(dIn, gOff + units + k);
            aH.intoArray(dIn, gOff + 2 * units + k);
            aZ.intoArray(step, sOff + k);
            aR.intoArray(step, sOff + units + k);
            aH.mul(r).intoArray(step, sOff + 2 * units + k);
            dhk.mul(z).intoArray(dh, dOff + k);
        }
        RecurrentCells.Portable.gruBackwardFrom(k, units, dh, dOff, gates, gOff, hPrev, hOff, recH, dIn, step, sOff);
    }

    @Override
    public void lstmForward(int units, float[] gates, int gOff, float[] step, int sOff, float[] cPrev, int pOff,
            float[] cs, float[] tanhCs, int cOff, float[] hs, int hNext, float[] hStep, int hsOff) {
        if (units % S.length() != 0) {
            // A tail would need its own sigmoid and tanh; the portable step is as exact.
            RecurrentCells.PORTABLE.lstmForward(units, gates, gOff, step, sOff, cPrev, pOff, cs, tanhCs, cOff, hs,
                    hNext, hStep, hsOff);
            return;
        }
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int k = 0; k < units; k += S.length()) {
            FloatVector ai = FloatVector.fromArray(S, gates, gOff + k);
            FloatVector af = FloatVector.fromArray(S, gates, gOff + units + k);
            FloatVector ag = FloatVector.fromArray(S, gates, gOff + 2 * units + k);
            FloatVector ao = FloatVector.fromArray(S, gates, gOff + 3 * units + k);
            if (step != null) {
                ai = ai.add(FloatVector.fromArray(S, step, sOff + k));
                af = af.add(FloatVector.fromArray(S, step, sOff + units + k));
                ag = ag.add(FloatVector.fromArray(S, step, sOff + 2 * units + k));
                ao = ao.add(FloatVector.fromArray(S, step, sOff + 3 * units + k));
            }
            // σ(a) = 1 / (1 + exp(−a)): exp overflows to ∞ for very negative a, and 1/∞ is the right 0.
            FloatVector i = one.div(ai.neg().lanewise(VectorOperators.EXP).add(one));
            FloatVector f = one.div(af.neg().lanewise(VectorOperators.EXP).add(one));
            FloatVector g = ag.lanewise(VectorOperators.TANH);
            FloatVector o = one.div(ao.neg().lanewise(VectorOperators.EXP).add(one));
            FloatVector c = f.fma(FloatVector.fromArray(S, cPrev, pOff + k), i.mul(g));
            FloatVector tc = c.lanewise(VectorOperators.TANH);
            FloatVector h = o.mul(tc);
            i.intoArray(gates, gOff + k);
            f.intoArray(gates, gOff + units + k);
            g.intoArray(gates, gOff + 2 * units + k);
            o.intoArray(gates, gOff + 3 * units + k);
            c.intoArray(cs, cOff + k);
            tc.intoArray(tanhCs, cOff + k);
            h.intoArray(hs, hNext + k);
            h.intoArray(hStep, hsOff + k);
        }
    }

    @Override
    public void lstmBackward(int units, float[] dh, float[] dc, int dOff, float[] gOut, int go, float[] gates,
            int gOff, float[] tanhCs, int cOff, float[] cPrev, int pOff, float[] dz, int sOff) {
        int k = 0;
        for (int upper = S.loopBound(units); k < upper; k += S.length()) {
            FloatVector dhk = FloatVector.fromArray(S, dh, dOff + k);
            if (gOut != null) {
                dhk = dhk.add(FloatVector.fromArray(S, gOut, go + k));
            }
            dhk.intoArray(dh, dOff + k);
            FloatVector i = FloatVector.fromArray(S, gates, gOff + k);
            FloatVector f = FloatVector.fromArray(S, gates, gOff + units + k);
            FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * units + k);
            FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * units + k);
            FloatVector tc = FloatVector.fromArray(S, tanhCs, cOff + k);
            // The portable loop's operations in its order: dc + dh·o·(1 − tc·tc), and so on.
            FloatVector dck = FloatVector.fromArray(S, dc, dOff + k).add(dhk.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dck.mul(f).intoArray(dc, dOff + k);
            dck.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dz, sOff + k);
            dck.mul(FloatVector.fromArray(S, cPrev, pOff + k)).mul(f).mul(f.neg().add(1f)).intoArray(dz, sOff + units + k);
            dck.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dz, sOff + 2 * units + k);
            dhk.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dz, sOff + 3 * units + k);
        }
        RecurrentCells.Portable.lstmBackwardFrom(k, units, dh, dc, dOff, gOut, go, gates, gOff, tanhCs, cOff, cPrev,
                pOff, dz, sOff);
    }
}
