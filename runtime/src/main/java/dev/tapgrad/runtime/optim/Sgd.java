package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.util.List;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, with Keras's formulas: velocity
 * {@code v = m·v − lr·g}, then {@code w += v}, or with Nesterov {@code w += m·v − lr·g}. With
 * momentum 0 it is plain {@code w −= lr·g}.
 *
 * <pre>{@code
 * Sgd.lr(0.01).momentum(0.9).nesterov(true)
 * }</pre>
 */
public final class Sgd implements Optimizer {
    private final double lr;
    private final double momentum;
    private final boolean nesterov;

    private Sgd(double lr, double momentum, boolean nesterov) {
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
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Sgd.lr: the learning rate must be finite and > 0, got " + lr);
        }
        return new Sgd(lr, 0, false);
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

    /** Whether to use Nesterov momentum (default false); has no effect with momentum 0. */
    public Sgd nesterov(boolean nesterov) {
        return new Sgd(lr, momentum, nesterov);
    }

    /** The learning rate. */
    public double lr() {
        return lr;
    }

    /** The momentum. */
    public double momentum() {
        return momentum;
    }

    /** Whether momentum is Nesterov's. */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public Updater start(List<Parameter> params) {
        Parameter[] ps = params.toArray(new Parameter[0]);
        // Velocities only exist with momentum: plain SGD keeps no state.
        float[][] velocity = new float[ps.length][];
        if (momentum != 0) {
            for (int i = 0; i < ps.length; i++) {
                velocity[i] = new float[ps[i].value().size()];
            }
        }
        float rate = (float) lr;
        float m = (float) momentum;
        return () -> {
            for (int p = 0; p < ps.length; p++) {
                float[] w = ps[p].value().buffer();
                float[] g = ps[p].grad().buffer();
                float[] v = velocity[p];
                if (v == null) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] -= rate * g[i];
                    }
                } else if (nesterov) {
                    for (int i = 0; i < w.length; i++) {
                        v[i] = m * v[i] - rate * g[i];
                        w[i] += m * v[i] - rate * g[i];
                    }
                } else {
                    for (int i = 0; i < w.length; i++) {
                        v[i] = m * v[i] - rate * g[i];
                        w[i] += v[i];
                    }
                }
            }
        };
    }

    @Override
    public String toString() {
        return "Sgd(lr=" + lr + (momentum != 0 ? ", momentum=" + momentum : "") + (nesterov ? ", nesterov" : "") + ")";
    }
}
