package dev.tapgrad.runtime.optim;

/** The learning-rate handling every built-in optimizer shares. */
final class Rates {
    private Rates() {}

    /** A constant schedule, or the error {@code Adam.lr: ...} for a rate that is not finite and > 0. */
    static Schedule constant(String where, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(where + ": the learning rate must be finite and > 0, got " + lr);
        }
        return Schedule.constant(lr);
    }

    /** Rejects a null schedule with a message naming the setter. */
    static Schedule schedule(String where, Schedule schedule) {
        if (schedule == null) {
            throw new NullPointerException(where + ": pass a learning rate or a Schedule such as Schedule.cosineDecay(1e-3, 1000)");
        }
        return schedule;
    }

    /**
     * The rate of the next step: the one set while training if any, else the schedule at the state's
     * step count. A user schedule that returns a negative or non-finite rate is an error here, before
     * the weights change.
     */
    static double current(Schedule schedule, OptimizerState state) {
        double set = state.learningRateOverride();
        if (!Double.isNaN(set)) {
            return set;
        }
        double lr = schedule.at(state.iterations());
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalStateException("the learning-rate schedule " + schedule + " returned " + lr + " at step "
                    + state.iterations() + "; a schedule must return a finite rate >= 0");
        }
        return lr;
    }

    /** {@code lr=0.001} or {@code lr=cosineDecay(...)} for toString. */
    static String describe(Schedule schedule) {
        return "lr=" + schedule;
    }

    /** The value count of each parameter, the lengths a {@code Spans} partitions. */
    static int[] sizes(dev.tapgrad.runtime.Parameter[] ps) {
        int[] n = new int[ps.length];
        for (int p = 0; p < ps.length; p++) {
            n[p] = ps[p].value().size();
        }
        return n;
    }
}
