package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.kernel.math.ParameterMath;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import dev.tapgrad.runtime.kernel.parallel.Spans;
import java.util.List;

/**
 * Whether every gradient of a parameter list is finite, checked each step before the optimizer
 * runs: the gradients cut into fixed {@link Spans} that the threads share, each span tested with
 * the vector kernel. Built once per fit; a check allocates nothing.
 */
final class FiniteGradients implements ParallelFor.Body {
    private final Parameter[] params;
    private final Spans spans;
    /** Set by whichever thread finds a non-finite span; ParallelFor's completion publishes it to the caller. */
    private boolean found;

    FiniteGradients(List<Parameter> params) {
        this.params = params.toArray(new Parameter[0]);
        int[] sizes = new int[this.params.length];
        for (int p = 0; p < sizes.length; p++) {
            sizes[p] = this.params[p].grad().size();
        }
        this.spans = new Spans(sizes);
    }

    /** Whether no gradient holds a NaN or an infinity. */
    boolean allFinite() {
        found = false;
        spans.run(this);
        return !found;
    }

    @Override
    public void run(int first, int end, int slot) {
        for (int s = first; s < end && !found; s++) {
            float[] g = params[spans.array(s)].grad().buffer();
            if (!ParameterMath.allFinite(g, spans.from(s), spans.to(s))) {
                found = true;
            }
        }
    }
}
