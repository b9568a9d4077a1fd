package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, with Keras's formulas: velocity
 * {@code v = m·v − lr·g}, then {@code w += v}, or with Nesterov {@code w += m·v − lr·g}. With
 * momentum 0 it is plain {@code w −= lr·g}. With a constant rate this is PyTorch's {@code SGD}
 * (dampening 0), whose buffer is {@code −v/lr}.
 *
 * <pre>{@code
 * Sgd.lr(0.01).momentum(0.9).nesterov()
 * }</pre>
 */
public final class Sgd implements Optimizer, Serializable {
    private static final long serialVersionUID = 1L;

    private final Schedule lr;
    private final double momentum;
    private final boolean nesterov;

    private Sgd(Schedule lr, double momentum, boolean nesterov) {
        this.lr = lr;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /**
     * Plain SGD with learning rate {@code lr} (Keras's default is 0.01).
     *
     * @throws IllegalArgumentException unless {@code lr} is finite and positive
     */
    public static Sgd lr(double lr) {
        return new Sgd(Rates.constant("Sgd.lr", lr), 0, false);
    }

    /** Plain SGD with a learning rate that follows {@code schedule}. */
    public static Sgd lr(Schedule schedule) {
        return new Sgd(Rates.schedule("Sgd.lr", schedule), 0, false);
    }

    /**
     * Momentum in [0, 1); 0 (the default) turns it off.
     *
     * @throws IllegalArgumentException outside [0, 1)
     */
    public Sgd momentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Sgd.momentum: must be in [0, 1), got " + momentum);
        }
        return new Sgd(lr, momentum, nesterov);
    }

    /** Nesterov momentum; has no effect with momentum 0. */
    public Sgd nesterov() {
        return new Sgd(lr, momentum, true);
    }

    /** Whether to use Nesterov momentum (default false); has no effect with momentum 0. */
    public Sgd nesterov(boolean nesterov) {
        return new Sgd(lr, momentum, nesterov);
    }

    /** The learning rate of the first step. */
    public double lr() {
        return lr.at(0);
    }

    @Override
    public Schedule schedule() {
        return lr;
    }

    /** The momentum. */
    public double momentum() {
        return momentum;
    }

    /** Whether momentum is Nesterov's. */
    public boolean isNesterov() {
        return nesterov;
    }

    @Override
    public Updater start(List<Parameter> params) {
        return start(params, new OptimizerState());
    }

    @Override
    public Updater start(List<Parameter> params, OptimizerState state) {
        state.adopt(kind());
        Parameter[] ps = params.toArray(new Parameter[0]);
        // Velocities only exist with momentum: plain SGD keeps no state but its step count.
        float[][] velocity = momentum != 0 ? state.slot("velocity", params) : new float[ps.length][];
        return new Step(ps, velocity, (float) momentum, nesterov, lr, state);
    }

    /** The updater: plain, momentum or Nesterov SGD over {@link SpanStep}'s shared spans. */
    private static final class Step extends SpanStep {
        private final float[][] velocity;
        private final float m;
        private final boolean nesterov;

        Step(Parameter[] ps, float[][] velocity, float m, boolean nesterov, Schedule lr, OptimizerState state) {
            super(ps, lr, state);
            this.velocity = velocity;
            this.m = m;
            this.nesterov = nesterov;
        }

        @Override
        void update(int p, int from, int to) {
            float[] w = ps[p].value().buffer();
            float[] g = ps[p].grad().buffer();
            float[] v = velocity[p];
            if (v == null) {
                for (int i = from; i < to; i++) {
                    w[i] -= rate * g[i];
                }
            } else if (nesterov) {
                for (int i = from; i < to; i++) {
                    v[i] = m * v[i] - rate * g[i];
                    w[i] += m * v[i] - rate * g[i];
                }
            } else {
                for (int i = from; i < to; i++) {
                    v[i] = m * v[i] - rate * g[i];
                    w[i] += v[i];
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sgd s && s.lr.equals(lr) && s.momentum == momentum && s.nesterov == nesterov;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lr, momentum, nesterov);
    }

    @Override
    public String toString() {
        return "Sgd(" + Rates.describe(lr) + (momentum != 0 ? ", momentum=" + momentum : "") + (nesterov ? ", nesterov" : "") + ")";
    }
}
