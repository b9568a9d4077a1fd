package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
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

    @Override
    public double sum(float[] a, int from, int to, int kind) {
        return SumMath.PORTABLE.sum(a, from, to, kind);
    }

    /**
     * {@code c · signum(x)} on float vectors only: c where x &gt; 0, −c where x &lt; 0, and
     * {@code c · x} elsewhere, which for a finite c is the same float as {@code c · signum(x)}
     * (±0 with the sign of c·x for x = ±0, c · NaN for a NaN x). No int vectors: see {@code
     * kernel.VectorOperationCaches} for what crossing into them costs the other kernels.
     */
    @Override
    public void addAbs(float[] x, float[] g, int from, int to, float c) {
        if (!Float.isFinite(c)) {
            SumMath.PORTABLE.addAbs(x, g, from, to, c);
            return;
        }
        FloatVector plus = FloatVector.broadcast(S, c);
        FloatVector minus = FloatVector.broadcast(S, -c);
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, i);
            FloatVector d = xv.mul(plus).blend(plus, xv.compare(VectorOperators.GT, 0f))
                    .blend(minus, xv.compare(VectorOperators.LT, 0f));
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
