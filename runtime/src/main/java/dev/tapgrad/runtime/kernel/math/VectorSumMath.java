package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SumMath} on the Vector API: the penalties' gradients whole vectors at a time. The sums
 * stay on the portable path's eight scalar partials: a version that widened floats into double
 * vectors (a fixed 256-bit shape beside the preferred one, and convertShape) made the GEMM's
 * vector kernels tenfold slower in the same JVM on JDK 17 (mlp128: 24 000 samples per
 * CPU-second to 1 200, nearly all of it in VectorTiles), and removing it restored them.
 * Loaded by class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorSumMath implements SumMath.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    @Override
    public double sum(float[] a, int from, int to, int kind) {
        return SumMath.PORTABLE.sum(a, from, to, kind);
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
