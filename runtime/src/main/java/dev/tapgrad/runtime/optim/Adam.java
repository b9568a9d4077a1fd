package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.util.List;

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
public final class Adam implements Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private Adam(double lr, double beta1, double beta2, double epsilon) {
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
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Adam.lr: the learning rate must be finite and > 0, got " + lr);
        }
        return new Adam(lr, 0.9, 0.999, 1e-7);
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

    /** The learning rate. */
    public double lr() {
        return lr;
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
    public Updater start(List<Parameter> params) {
        Parameter[] ps = params.toArray(new Parameter[0]);
        float[][] m = new float[ps.length][];
        float[][] v = new float[ps.length][];
        for (int i = 0; i < ps.length; i++) {
            m[i] = new float[ps[i].value().size()];
            v[i] = new float[ps[i].value().size()];
        }
        return new Updater() {
            private long t;

            @Override
            public void step() {
                t++;
                // The bias correction is computed in double: β^t underflows gracefully and
                // 1 − β1^t is not rounded to float before dividing.
                float rate = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
                float b1 = (float) beta1;
                float b2 = (float) beta2;
                float c1 = (float) (1 - beta1);
                float c2 = (float) (1 - beta2);
                float eps = (float) epsilon;
                for (int p = 0; p < ps.length; p++) {
                    float[] w = ps[p].value().buffer();
                    float[] g = ps[p].grad().buffer();
                    float[] mp = m[p];
                    float[] vp = v[p];
                    for (int i = 0; i < w.length; i++) {
                        float gi = g[i];
                        mp[i] = b1 * mp[i] + c1 * gi;
                        vp[i] = b2 * vp[i] + c2 * gi * gi;
                        w[i] -= rate * mp[i] / ((float) Math.sqrt(vp[i]) + eps);
                    }
                }
            }
        };
    }

    @Override
    public String toString() {
        return "Adam(lr=" + lr + ")";
    }
}
