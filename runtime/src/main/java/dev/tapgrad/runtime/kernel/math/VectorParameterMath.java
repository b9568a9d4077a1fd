package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ParameterMath} on the Vector API: whole vectors at a time, the tail on the portable path.
 * Every lane does the portable path's operations in its order (mul, then add; sqrt correctly
 * rounded in float, as {@code (float) Math.sqrt} of a float is), so the bits are the same. Loaded
 * by class name only where {@code jdk.incubator.vector} is present.
 */
final class VectorParameterMath implements ParameterMath.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * On float vectors only: {@code v · 0} is ±0 for a finite v and NaN for an infinity or a NaN,
     * so the lanes' running sums of it are NaN exactly when a value was not finite (no int
     * vectors: see {@code kernel.VectorOperationCaches}).
     */
    @Override
    public boolean allFinite(float[] a, int from, int to) {
        int i = from;
        FloatVector zero = FloatVector.zero(S);
        FloatVector seen = zero;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            seen = FloatVector.fromArray(S, a, i).fma(zero, seen);
        }
        if (seen.compare(VectorOperators.NE, seen).anyTrue()) {
            return false;
        }
        return ParameterMath.PORTABLE.allFinite(a, i, to);
    }

    @Override
    public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, ParameterMath.AdamStep s) {
        float b1 = s.b1;
        float c1 = s.c1;
        float b2 = s.b2;
        float c2 = s.c2;
        float rate = s.rate;
        float eps = s.eps;
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.mul(rate).div(vi.lanewise(VectorOperators.SQRT).add(eps));
            FloatVector.fromArray(S, w, i).sub(step).intoArray(w, i);
        }
        ParameterMath.PORTABLE.adam(w, g, m, v, i, to, s);
    }

    @Override
    public void decay(float[] w, int from, int to, float shrink) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector wi = FloatVector.fromArray(S, w, i);
            wi.sub(wi.mul(shrink)).intoArray(w, i);
        }
        ParameterMath.PORTABLE.decay(w, i, to, shrink);
    }
}
