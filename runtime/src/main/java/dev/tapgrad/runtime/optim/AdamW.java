package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Adam with decoupled weight decay, as Keras's {@code AdamW} (and PyTorch's {@code AdamW}): before
 * each {@link Adam} step every weight shrinks by {@code lr·weightDecay·w}. Keras's defaults: weight
 * decay 0.004 (PyTorch's is 0.01), β1 0.9, β2 0.999, ε 1e-7 added outside the bias correction.
 *
 * <pre>{@code
 * AdamW.lr(1e-3).weightDecay(0.01)
 * }</pre>
 */
public final class AdamW implements Optimizer, Serializable {
    private static final long serialVersionUID = 1L;

    private final Schedule lr;
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private AdamW(Schedule lr, double weightDecay, double beta1, double beta2, double epsilon) {
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /**
     * AdamW with learning rate {@code lr} (Keras's default is 1e-3) and weight decay 0.004.
     *
     * @throws IllegalArgumentException unless {@code lr} is finite and positive
     */
    public static AdamW lr(double lr) {
        return new AdamW(Rates.constant("AdamW.lr", lr), 0.004, 0.9, 0.999, 1e-7);
    }

    /** AdamW with a learning rate that follows {@code schedule}; the decay follows it too. */
    public static AdamW lr(Schedule schedule) {
        return new AdamW(Rates.schedule("AdamW.lr", schedule), 0.004, 0.9, 0.999, 1e-7);
    }

    /**
     * The decay per unit of learning rate, ≥ 0 (0 makes this Adam); default 0.004.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public AdamW weightDecay(double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("AdamW.weightDecay: must be finite and >= 0, got " + weightDecay);
        }
        return new AdamW(lr, weightDecay, beta1, beta2, epsilon);
    }

    /** Decay of the first moment, in [0, 1); default 0.9. */
    public AdamW beta1(double beta1) {
        return new AdamW(lr, weightDecay, unit("beta1", beta1), beta2, epsilon);
    }

    /** Decay of the second moment, in [0, 1); default 0.999. */
    public AdamW beta2(double beta2) {
        return new AdamW(lr, weightDecay, beta1, unit("beta2", beta2), epsilon);
    }

    /** The constant added to √v, finite and > 0; default 1e-7. */
    public AdamW epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("AdamW.epsilon: must be finite and > 0, got " + epsilon);
        }
        return new AdamW(lr, weightDecay, beta1, beta2, epsilon);
    }

    private static double unit(String name, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("AdamW." + name + ": must be in [0, 1), got " + beta);
        }
        return beta;
    }

    /** The learning rate of the first step. */
    public double lr() {
        return lr.at(0);
    }

    /** The weight decay. */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public Schedule schedule() {
        return lr;
    }

    @Override
    public Updater start(List<Parameter> params) {
        return start(params, new OptimizerState());
    }

    @Override
    public Updater start(List<Parameter> params, OptimizerState state) {
        state.adopt(kind());
        return Adam.updater(lr, beta1, beta2, epsilon, weightDecay, params, state);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdamW a && a.lr.equals(lr) && a.weightDecay == weightDecay && a.beta1 == beta1
                && a.beta2 == beta2 && a.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lr, weightDecay, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "AdamW(" + Rates.describe(lr) + ", weightDecay=" + weightDecay + ")";
    }
}
