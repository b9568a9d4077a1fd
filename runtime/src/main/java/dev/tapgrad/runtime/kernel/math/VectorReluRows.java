package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReluRows} on the Vector API: whole vectors at a time, the tail on the portable path. Each
 * lane does the portable path's operations in its order (add the penalty's gradient, then zero
 * where the output is not positive), so the bits are the same. Loaded by class name only where
 * {@code jdk.incubator.vector} is present.
 */
final class VectorReluRows implements ReluRows.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void forward(float[] out, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            // lanewise MAX is Math.max's: NaN stays NaN, max(−0, 0) is +0
            FloatVector.fromArray(S, out, i).max(0f).intoArray(out, i);
        }
        ReluRows.PORTABLE.forward(out, i, to);
    }

    @Override
    public void backward(float[] out, float[] g, int from, int to, int penalty, float c) {
        int i = from;
        FloatVector zero = FloatVector.zero(S);
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector o = FloatVector.fromArray(S, out, i);
            FloatVector gi = FloatVector.fromArray(S, g, i);
            if (penalty == ReluRows.ABS) {
                gi = gi.add(c);
            } else if (penalty == ReluRows.SQUARE) {
                gi = gi.add(o.mul(2f).mul(c));
            }
            // false for NaN, ±0 and negatives: those lanes get +0
            VectorMask<Float> positive = o.compare(VectorOperators.GT, 0f);
            zero.blend(gi, positive).intoArray(g, i);
        }
        ReluRows.PORTABLE.backward(out, g, i, to, penalty, c);
    }
}
