package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * RMSprop with Keras's formulas and defaults (ρ 0.9, ε 1e-7, no momentum, not centred): {@code
 * v = ρ·v + (1−ρ)·g²}, {@code w −= lr·g/√(v + ε)}; with momentum {@code μ}, {@code b = μ·b +
 * lr·g/√(v + ε)}, {@code w −= b}. Keras puts ε inside the square root, PyTorch ({@code
 * RMSprop(alpha=ρ)}) adds it to √v, so the two differ while v is tiny; PyTorch's default ρ is 0.99.
 *
 * <pre>{@code
 * RmsProp.lr(1e-3).rho(0.95)
 * }</pre>
 */
public final class RmsProp implements Optimizer, Serializable {
    private static final long serialVersionUID = 1L;

    private final Schedule lr;
    private final double rho;
    private final double momentum;
    private final double epsilon;

    private RmsProp(Schedule lr, double rho, double momentum, double epsilon) {
        this.lr = lr;
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    /**
     * RMSprop with learning rate {@code lr} (Keras's default is 1e-3).
     *
     * @throws IllegalArgumentException unless {@code lr} is finite and positive
     */
    public static RmsProp lr(double lr) {
        return new RmsProp(Rates.constant("RmsProp.lr", lr), 0.9, 0, 1e-7);
    }

    /** RMSprop with a learning rate that follows {@code schedule}. */
    public static RmsProp lr(Schedule schedule) {
        return new RmsProp(Rates.schedule("RmsProp.lr", schedule), 0.9, 0, 1e-7);
    }

    /** Decay of the mean square, in [0, 1); default 0.9. */
    public RmsProp rho(double rho) {
        return new RmsProp(lr, unit("rho", rho), momentum, epsilon);
    }

    /** Momentum in [0, 1); default 0 (off). */
    public RmsProp momentum(double momentum) {
        return new RmsProp(lr, rho, unit("momentum", momentum), epsilon);
    }

    /** The constant added to the mean square under the root, finite and > 0; default 1e-7. */
    public RmsProp epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("RmsProp.epsilon: must be finite and > 0, got " + epsilon);
        }
        return new RmsProp(lr, rho, momentum, epsilon);
    }

    private static double unit(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("RmsProp." + name + ": must be in [0, 1), got " + v);
        }
        return v;
    }

    /** The learning rate of the first step. */
    public double lr() {
        return lr.at(0);
    }

    /** ρ. */
    public double rho() {
        return rho;
    }

    /** The momentum. */
    public double momentum() {
        return momentum;
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
        Parameter[] ps = params.toArray(new Parameter[0]);
        float[][] velocity = state.slot("velocity", params);
        float[][] buffer = momentum != 0 ? state.slot("momentum", params) : null;
        return new Step(ps, velocity, buffer, new float[] {(float) rho, (float) (1 - rho), (float) momentum,
            (float) epsilon}, lr, state);
    }

    /** The updater: RMSprop, with or without momentum, over {@link SpanStep}'s shared spans. */
    private static final class Step extends SpanStep {
        private final float[][] velocity;
        private final float[][] buffer;
        private final float r;
        private final float c;
        private final float mu;
        private final float eps;

        /** {@code constants}: ρ, 1 − ρ, the momentum and ε as floats. */
        Step(Parameter[] ps, float[][] velocity, float[][] buffer, float[] constants, Schedule lr, OptimizerState state) {
            super(ps, lr, state);
            this.velocity = velocity;
            this.buffer = buffer;
            this.r = constants[0];
            this.c = constants[1];
            this.mu = constants[2];
            this.eps = constants[3];
        }

        @Override
        void update(int p, int from, int to) {
            float[] w = ps[p].value().buffer();
            float[] g = ps[p].grad().buffer();
            float[] v = velocity[p];
            if (buffer == null) {
                for (int i = from; i < to; i++) {
                    v[i] = r * v[i] + c * g[i] * g[i];
                    w[i] -= rate * g[i] / (float) Math.sqrt(v[i] + eps);
                }
            } else {
                float[] b = buffer[p];
                for (int i = from; i < to; i++) {
                    v[i] = r * v[i] + c * g[i] * g[i];
                    b[i] = mu * b[i] + rate * g[i] / (float) Math.sqrt(v[i] + eps);
                    w[i] -= b[i];
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RmsProp a && a.lr.equals(lr) && a.rho == rho && a.momentum == momentum && a.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lr, rho, momentum, epsilon);
    }

    @Override
    public String toString() {
        return "RmsProp(" + Rates.describe(lr) + (rho != 0.9 ? ", rho=" + rho : "") + (momentum != 0 ? ", momentum=" + momentum : "") + ")";
    }
}
