package dev.tapgrad.semantics;

import dev.tapgrad.Differentiable;
import dev.tapgrad.ShapeRule;
import dev.tapgrad.runtime.Ops;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.ops.ElementwiseMath;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user-defined differentiable op (declared the way a user would, in their own code) that counts
 * how often it runs, so tests can see whether an aux loss was computed.
 */
public final class CountingOps {
    /** Evaluations of {@link #countedAbs} since the last reset. */
    static final AtomicInteger CALLS = new AtomicInteger();

    private CountingOps() {}

    /** {@code abs(x)}, counted. */
    @Differentiable(adjoint = "countedAbsAdjoint", shape = ShapeRule.SAME)
    public static Tensor countedAbs(Tensor x) {
        CALLS.incrementAndGet();
        return Ops.abs(x);
    }

    /** Adjoint of {@link #countedAbs}: that of abs. */
    public static Tensor countedAbsAdjoint(Tensor x, Tensor out, Tensor g) {
        return ElementwiseMath.absAdjoint(x, out, g);
    }
}
