package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.kernel.math.ParameterMath;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Adam with Keras's formulas and defaults (β1 0.9, β2 0.999, ε 1e-7): at step t,
 * {@code lr_t = lr·√(1−β2^t)/(1−β1^t)}, {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
 * {@code w −= lr_t·m/(√v + ε)}. Keras's ε is added outside the bias correction, unlike PyTorch's,
 * so the two differ slightly while v is tiny.
 *
 * <pre>{@code
 * Adam.lr(1e-3).beta2(0.99)
 * }</pre>
 */
public final class Adam implements Optimizer, Serializable {
    private static final long serialVersionUID = 1L;

    private final Schedule lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private Adam(Schedule lr, double beta1, double beta2, double epsilon) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /**
     * Adam with learning rate {@code lr} (Keras's default is 1e-3).
     *
     * @throws IllegalArgumentException unless {@code lr} is finite and positive
     */
    public static Adam lr(double lr) {
        return new Adam(Rates.constant("Adam.lr", lr), 0.9, 0.999, 1e-7);
    }

    /** Adam with a learning rate that follows {@code schedule}, e.g. {@code Schedule.cosineDecay(1e-3, 5000)}. */
    public static Adam lr(Schedule schedule) {
        return new Adam(Rates.schedule("Adam.lr", schedule), 0.9, 0.999, 1e-7);
    }

    /** Decay of the first moment, in [0, 1); default 0.9. */
    public Adam beta1(double beta1) {
        return new Adam(lr, checkBeta("beta1", beta1), beta2, epsilon);
    }

    /** Decay of the second moment, in [0, 1); default 0.999. */
    public Adam beta2(double beta2) {
        return new Adam(lr, beta1, checkBeta("beta2", beta2), epsilon);
    }

    /** The constant added to √v, finite and > 0; default 1e-7. */
    public Adam epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam.epsilon: must be finite and > 0, got " + epsilon);
        }
        return new Adam(lr, beta1, beta2, epsilon);
    }

    private static double checkBeta(String name, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("Adam." + name + ": must be in [0, 1), got " + beta);
        }
        return beta;
    }

    /** The learning rate of the first step. */
    public double lr() {
        return lr.at(0);
    }

    /** β1. */
    public double beta1() {
        return beta1;
    }

    /** β2. */
    public double beta2() {
        return beta2;
    }

    /** ε. */
    public double epsilon() {
        return epsilon;
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
        return updater(lr, beta1, beta2, epsilon, 0, params, state);
    }

    /**
     * Adam's step, with AdamW's decoupled weight decay {@code w −= lr·decay·w} before it when
     * {@code decay} is not 0 (Keras applies the decay first, with the step's learning rate).
     */
    static Updater updater(Schedule lr, double beta1, double beta2, double epsilon, double decay, List<Parameter> params,
            OptimizerState state) {
        return new Step(lr, beta1, beta2, epsilon, decay, params, state);
    }

    /** The updater: the decay (AdamW) and then Adam's update of each value, over {@link SpanStep}'s shared spans. */
    private static final class Step extends SpanStep {
        private final double beta1;
        private final double beta2;
        private final double epsilon;
        private final double decay;
        private final float[][] m;
        private final float[][] v;
        private final ParameterMath.AdamStep constants = new ParameterMath.AdamStep();
        private float shrink;

        Step(Schedule lr, double beta1, double beta2, double epsilon, double decay, List<Parameter> params,
                OptimizerState state) {
            super(params.toArray(new Parameter[0]), lr, state);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
            this.decay = decay;
            this.m = state.slot("m", params);
            this.v = state.slot("v", params);
        }

        @Override
        void prepare(double lr) {
            long t = state.iterations() + 1;
            // The bias correction is computed in double: β^t underflows gracefully and
            // 1 − β1^t is not rounded to float before dividing.
            float corrected = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
            shrink = (float) (lr * decay);
            constants.set((float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), corrected, (float) epsilon);
        }

        @Override
        void update(int p, int from, int to) {
            float[] w = ps[p].value().buffer();
            if (decay != 0) {
                ParameterMath.decay(w, from, to, shrink);
            }
            ParameterMath.adam(w, ps[p].grad().buffer(), m[p], v[p], from, to, constants);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Adam a && a.lr.equals(lr) && a.beta1 == beta1 && a.beta2 == beta2 && a.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lr, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "Adam(" + Rates.describe(lr) + ")";
    }
}
