package dev.tapgrad.runtime.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaxPoolWindows} on the Vector API: a vector of channels at a time, the running maximum
 * and its flat indices replaced lane by lane by a blend where a later position is larger (or NaN
 * over a number), so a window costs a load, two compares and two blends per position instead of
 * a long compare per channel and position. Loaded by class name only where
 * {@code jdk.incubator.vector} is present.
 */
final class VectorMaxPool implements MaxPoolWindows.Impl {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Ints in vectors of the same shape, so a lane of indices belongs to the lane of values beside it. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    @Override
    public int lanes() {
        return F.length();
    }

    @Override
    public void window(float[] in, int first, int rows, int cols, int rowStep, int channels, float[] out,
            int[] winners, int dst) {
        for (int c = 0; c < channels; c += F.length()) {
            FloatVector max = FloatVector.fromArray(F, in, first + c);
            IntVector at = IOTA.add(first + c);
            // One loop over the window's values after the first, not a loop over rows around one
            // over columns: C2 on JDK 17 keeps vectors that loop-nested phis carry boxed (measured:
            // gigabytes allocated per second and 18% of convnet128's step in this method).
            for (int k = 1, y = 1 / cols, x = 1 % cols, count = rows * cols; k < count; k++) {
                int p = first + y * rowStep + x * channels + c;
                if (++x == cols) {
                    x = 0;
                    y++;
                }
                FloatVector v = FloatVector.fromArray(F, in, p);
                // Larger, or NaN over a number: "not v <= max" is true for a NaN v, and a NaN
                // max (max != max) is never replaced. Two compares (measured 8% faster than
                // v > max or (v is NaN and max is not), four mask operations).
                VectorMask<Float> larger = v.compare(VectorOperators.LE, max).not()
                        .and(max.compare(VectorOperators.EQ, max));
                max = max.blend(v, larger);
                at = at.blend(IOTA.add(p), larger.cast(I));
            }
            max.intoArray(out, dst + c);
            at.intoArray(winners, dst + c);
        }
    }

    /** The positions in window order after the first, each replacing the maximum as {@link #window}'s loop does. */
    @Override
    public void pairWindow(float[] in, int first, int rowStep, int channels, float[] out, float[] positions, int dst) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector two = FloatVector.broadcast(F, 2f);
        FloatVector three = FloatVector.broadcast(F, 3f);
        for (int c = 0; c < channels; c += F.length()) {
            int p0 = first + c;
            FloatVector max = FloatVector.fromArray(F, in, p0);
            FloatVector v = FloatVector.fromArray(F, in, p0 + channels);
            VectorMask<Float> larger = v.compare(VectorOperators.LE, max).not().and(max.compare(VectorOperators.EQ, max));
            max = max.blend(v, larger);
            FloatVector at = zero.blend(one, larger);
            v = FloatVector.fromArray(F, in, p0 + rowStep);
            larger = v.compare(VectorOperators.LE, max).not().and(max.compare(VectorOperators.EQ, max));
            max = max.blend(v, larger);
            at = at.blend(two, larger);
            v = FloatVector.fromArray(F, in, p0 + rowStep + channels);
            larger = v.compare(VectorOperators.LE, max).not().and(max.compare(VectorOperators.EQ, max));
            max = max.blend(v, larger);
            at = at.blend(three, larger);
            max.intoArray(out, dst + c);
            at.intoArray(positions, dst + c);
        }
    }

    @Override
    public void pairGradient(float[] g, float[] positions, int src, float[] dx, int first, int rowStep, int channels) {
        FloatVector zero = FloatVector.zero(F);
        for (int c = 0; c < channels; c += F.length()) {
            // 0 + g: the bits the zeroed dL/dx gets when the gradient is added at the winner
            FloatVector grad = FloatVector.fromArray(F, g, src + c).add(zero);
            FloatVector at = FloatVector.fromArray(F, positions, src + c);
            int p0 = first + c;
            int p2 = p0 + rowStep;
            zero.blend(grad, at.compare(VectorOperators.EQ, 0f)).intoArray(dx, p0);
            zero.blend(grad, at.compare(VectorOperators.EQ, 1f)).intoArray(dx, p0 + channels);
            zero.blend(grad, at.compare(VectorOperators.EQ, 2f)).intoArray(dx, p2);
            zero.blend(grad, at.compare(VectorOperators.EQ, 3f)).intoArray(dx, p2 + channels);
        }
    }
}
