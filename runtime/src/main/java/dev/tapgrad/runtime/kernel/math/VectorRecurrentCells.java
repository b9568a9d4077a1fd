package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RecurrentCells} on the Vector API: whole vectors of units at a time, the operations of
 * the portable loop in its order (no fused multiply-adds, so the bits agree), the tail value by
 * value. Loaded by class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorRecurrentCells implements RecurrentCells.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
}
