package dev.tapgrad.runtime.optim;

import java.io.Serializable;

/**
 * A learning rate as a function of the optimizer's step count (0 before the first step), accepted
 * wherever a learning rate is: {@code Adam.lr(Schedule.cosineDecay(1e-3, 10_000))}, or a lambda
 * {@code Sgd.lr(step -> 0.1 / (1 + step / 1000.0))}. The formulas are Keras's {@code
 * keras.optimizers.schedules}; the step is the optimizer's, kept across {@code fit} calls and in
 * backups, so a resumed run continues the schedule where it stopped.
 *
 * <p>A schedule is {@link Serializable} so that an optimizer travels to other processes (the
 * tapgrad-spark module's workers); a lambda is serializable when everything it captures is, and
 * a schedule class must keep only serializable fields.
 */
@FunctionalInterface
public interface Schedule extends Serializable {
    /** The learning rate of the step that follows {@code step} completed steps; finite and > 0. */
    double at(long step);

    /** Whether the rate never changes; only such a rate may be changed by {@code ReduceLrOnPlateau}. */
    default boolean isConstant() {
        return false;
    }

    /**
     * The same rate at every step.
     *
     * @throws IllegalArgumentException unless {@code lr} is finite and > 0
     */
    static Schedule constant(double lr) {
        positive("Schedule.constant", "the learning rate", lr);
        return new Schedules.Constant(lr);
    }

    /**
     * {@code initial · rate^(step / decaySteps)}, as Keras's {@code ExponentialDecay} without staircase.
     *
     * @throws IllegalArgumentException unless initial and rate are finite and > 0 and decaySteps ≥ 1
     */
    static Schedule exponentialDecay(double initial, long decaySteps, double rate) {
        return exponentialDecay(initial, decaySteps, rate, false);
    }

    /**
     * {@code initial · rate^(step / decaySteps)}, the exponent rounded down with {@code staircase}, as
     * Keras's {@code ExponentialDecay}.
     *
     * @throws IllegalArgumentException unless initial and rate are finite and > 0 and decaySteps ≥ 1
     */
    static Schedule exponentialDecay(double initial, long decaySteps, double rate, boolean staircase) {
        positive("Schedule.exponentialDecay", "the initial learning rate", initial);
        positive("Schedule.exponentialDecay", "the decay rate", rate);
        steps("Schedule.exponentialDecay", decaySteps);
        return new Schedules.Exponential(initial, decaySteps, rate, staircase);
    }

    /**
     * Cosine decay from {@code initial} to 0 over {@code decaySteps}, then 0: Keras's {@code
     * CosineDecay} with alpha 0 and no warm-up. A rate of 0 is allowed here (the end of the decay).
     *
     * @throws IllegalArgumentException unless initial is finite and > 0 and decaySteps ≥ 1
     */
    static Schedule cosineDecay(double initial, long decaySteps) {
        return cosineDecay(initial, decaySteps, 0);
    }

    /**
     * {@code initial · ((1 − alpha)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + alpha)}, as Keras's
     * {@code CosineDecay}: it ends at {@code alpha · initial}.
     *
     * @throws IllegalArgumentException unless initial is finite and > 0, decaySteps ≥ 1 and alpha in [0, 1]
     */
    static Schedule cosineDecay(double initial, long decaySteps, double alpha) {
        positive("Schedule.cosineDecay", "the initial learning rate", initial);
        steps("Schedule.cosineDecay", decaySteps);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Schedule.cosineDecay: alpha (the final fraction of the initial rate) "
                    + "must be in [0, 1], got " + alpha);
        }
        return new Schedules.Cosine(initial, decaySteps, alpha);
    }

    private static void positive(String where, String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(where + ": " + what + " must be finite and > 0, got " + v);
        }
    }

    private static void steps(String where, long decaySteps) {
        if (decaySteps < 1) {
            throw new IllegalArgumentException(where + ": decaySteps must be at least 1, got " + decaySteps);
        }
    }
}
