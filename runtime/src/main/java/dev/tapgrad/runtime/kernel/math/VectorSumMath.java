package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SumMath} on the Vector API. A sum reads eight floats at a time and widens them into two
 * vectors of four doubles, which hold the eight partial sums in the portable path's order (lanes
 * 0–3 and 4–7); the 256-bit shapes are fixed, not the preferred ones, so that the partials are the
 * same on every machine. Where the CPU has narrower vectors the portable path is taken. Loaded by
 * class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorSumMath implements SumMath.Impl {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final boolean WIDE = S.length() >= 8;

    @Override
    public double sum(float[] a, int from, int to, int kind) {
        if (!WIDE) {
            return SumMath.PORTABLE.sum(a, from, to, kind);
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        int i = from;
        for (int upper = from + F.loopBound(to - from); i < upper; i += 8) {
            FloatVector f = FloatVector.fromArray(F, a, i);
            if (kind == SumMath.ABS) {
                f = f.abs();
            } else if (kind == SumMath.SQUARE) {
                f = f.mul(f);
            }
            low = low.add((DoubleVector) f.convertShape(VectorOperators.F2D, D, 0));
            high = high.add((DoubleVector) f.convertShape(VectorOperators.F2D, D, 1));
        }
        return SumMath.finish(a, i, to, kind, low.lane(0), low.lane(1), low.lane(2), low.lane(3), high.lane(0),
                high.lane(1), high.lane(2), high.lane(3));
    }

    @Override
    public void addAbs(float[] x, float[] g, int from, int to, float c) {
        int cb = Float.floatToRawIntBits(c);
        if ((cb & 0x7f800000) == 0x7f800000 || I.length() != S.length()) {
            SumMath.PORTABLE.addAbs(x, g, from, to, c);
            return;
        }
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, i);
            IntVector xb = xv.reinterpretAsInts();
            // c with the sign of x flipped in, and ±0 (sign bit only) where x is ±0
            IntVector flipped = xb.and(0x80000000).lanewise(VectorOperators.XOR, cb);
            VectorMask<Integer> zero = xb.and(0x7fffffff).compare(VectorOperators.EQ, 0);
            FloatVector d = flipped.blend(flipped.and(0x80000000), zero).reinterpretAsFloats();
            // NaN stays NaN: c · signum(NaN) is c · NaN
            d = d.blend(xv.mul(c), xv.test(VectorOperators.IS_NAN));
            FloatVector.fromArray(S, g, i).add(d).intoArray(g, i);
        }
        SumMath.PORTABLE.addAbs(x, g, i, to, c);
    }

    @Override
    public void addSquare(float[] x, float[] g, int from, int to, float c) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, i);
            FloatVector.fromArray(S, g, i).add(xv.mul(2f).mul(c)).intoArray(g, i);
        }
        SumMath.PORTABLE.addSquare(x, g, i, to, c);
    }
}
