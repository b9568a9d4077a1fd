package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import dev.tapgrad.runtime.kernel.parallel.Spans;

/**
 * What every optimizer's updater does alike: read the scheduled learning rate, cut every
 * parameter's values into fixed {@link Spans} that the threads share, update each span, and count
 * the step. Each value's update is independent of the others, so the bits do not depend on which
 * thread ran which span. A subclass says only how one span of one parameter is updated
 * ({@link #update}) and, if it needs more than {@link #rate}, how its constants follow from the
 * rate ({@link #prepare}).
 */
abstract class SpanStep implements Updater, ParallelFor.Body {
    /** The parameters, in the order of the state's slots. */
    final Parameter[] ps;
    /** The step count and the slots; advanced after every step. */
    final OptimizerState state;
    private final Spans spans;
    private final Schedule lr;
    private double last;
    /** This step's learning rate as a float, for the updates that use it as it is (Sgd, RmsProp). */
    float rate;

    SpanStep(Parameter[] ps, Schedule lr, OptimizerState state) {
        this.ps = ps;
        this.state = state;
        this.lr = lr;
        this.spans = new Spans(Rates.sizes(ps));
        this.last = Rates.current(lr, state);
    }

    /** Sets the step's further constants from this step's learning rate, before any value changes. */
    void prepare(double lr) {
    }

    /** Updates values {@code [from, to)} of parameter {@code p}. */
    abstract void update(int p, int from, int to);

    @Override
    public final void step() {
        last = Rates.current(lr, state);
        rate = (float) last;
        prepare(last);
        spans.run(this);
        state.advance();
    }

    @Override
    public final void run(int first, int end, int slot) {
        for (int s = first; s < end; s++) {
            update(spans.array(s), spans.from(s), spans.to(s));
        }
    }

    @Override
    public final double learningRate() {
        return last;
    }
}
