package dev.tapgrad.runtime.kernel.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementMath} on the Vector API: the JDK's vectorised exp and tanh (intrinsics on x86),
 * whole vectors at a time and the tail value by value in double. Loaded by class name only where
 * {@code jdk.incubator.vector} is present.
 */
final class VectorElementMath implements ElementMath.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void sigmoid(float[] a, int off, int n) {
        int i = off;
        int end = off + n;
        for (int upper = off + S.loopBound(n); i < upper; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            // 1 / (1 + exp(−x)): exp overflows to ∞ for very negative x, and 1/∞ is the right 0.
            FloatVector one = FloatVector.broadcast(S, 1f);
            one.div(x.neg().lanewise(VectorOperators.EXP).add(one)).intoArray(a, i);
        }
        ElementMath.PORTABLE.sigmoid(a, i, end - i);
    }

    @Override
    public void tanh(float[] a, int off, int n) {
        int i = off;
        int end = off + n;
        for (int upper = off + S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).lanewise(VectorOperators.TANH).intoArray(a, i);
        }
        ElementMath.PORTABLE.tanh(a, i, end - i);
    }

    @Override
    public void log(float[] a, int off, int n) {
        int i = off;
        int end = off + n;
        for (int upper = off + S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).lanewise(VectorOperators.LOG).intoArray(a, i);
        }
        ElementMath.PORTABLE.log(a, i, end - i);
    }

    @Override
    public void exp(float[] a, int off, int n) {
        int i = off;
        int end = off + n;
        for (int upper = off + S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).lanewise(VectorOperators.EXP).intoArray(a, i);
        }
        ElementMath.PORTABLE.exp(a, i, end - i);
    }
}
