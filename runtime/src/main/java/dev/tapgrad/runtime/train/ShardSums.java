package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Parameter;
import java.io.Serializable;
import java.util.List;

/**
 * What one worker computed on its share of a batch, as sums so that the shares of every worker add
 * up to the whole batch: the number of examples, each loss term and each parameter's gradient
 * multiplied by that number, and the metric sums over prediction rows. A share with no examples is
 * all zeros and adds nothing. Serializable, as a distributed engine ships it back to the driver;
 * sums are in double so that adding many shares loses nothing a float step would keep.
 */
public final class ShardSums implements Serializable {
    private static final long serialVersionUID = 1L;

    long examples;
    double[] termSums;
    double[][] gradSums;
    double[] metricSums;
    long rows;

    /** Nothing yet: the identity of {@link #add}, with no arrays until the first share arrives. */
    public static ShardSums zero() {
        return new ShardSums();
    }

    /**
     * Adds {@code other} into this one and returns this (the combine function of a tree
     * aggregation; shares may arrive in any order).
     *
     * @throws IllegalArgumentException if the two come from models with different parameters or terms
     */
    public ShardSums add(ShardSums other) {
        if (other.examples == 0 && other.termSums == null) {
            return this;
        }
        if (termSums == null) {
            termSums = other.termSums.clone();
            metricSums = other.metricSums.clone();
            if (other.gradSums != null) {
                gradSums = new double[other.gradSums.length][];
                for (int p = 0; p < gradSums.length; p++) {
                    gradSums[p] = other.gradSums[p].clone();
                }
            }
        } else {
            if ((other.gradSums == null) != (gradSums == null) || other.termSums.length != termSums.length
                    || gradSums != null && other.gradSums.length != gradSums.length) {
                throw new IllegalArgumentException("ShardSums.add: sums of " + count(other.gradSums) + " parameters and "
                        + other.termSums.length + " terms cannot be added to sums of " + count(gradSums) + " and "
                        + termSums.length + "; every share must come from the same model class, and all or none with gradients");
            }
            addInto(termSums, other.termSums);
            addInto(metricSums, other.metricSums);
            for (int p = 0; gradSums != null && p < gradSums.length; p++) {
                addInto(gradSums[p], other.gradSums[p]);
            }
        }
        examples += other.examples;
        rows += other.rows;
        return this;
    }

    /** The same sums without the gradients: what is left to report once the gradients have been applied. */
    public ShardSums withoutGradients() {
        ShardSums s = new ShardSums();
        s.examples = examples;
        s.termSums = termSums == null ? null : termSums.clone();
        s.metricSums = metricSums == null ? null : metricSums.clone();
        s.rows = rows;
        return s;
    }

    /** Each loss term's mean over the examples added so far (unweighted, in the model's term order). */
    public double[] termMeans() {
        double[] means = new double[termSums == null ? 0 : termSums.length];
        for (int i = 0; i < means.length; i++) {
            means[i] = termSums[i] / examples;
        }
        return means;
    }

    /**
     * Writes the example-weighted means into {@code terms} (each loss term, unweighted) and into
     * each parameter's gradient: what the model's own training step on the whole batch leaves there.
     *
     * @throws IllegalStateException if no share with examples and gradients has been added
     */
    void meansInto(double[] terms, List<Parameter> params) {
        if (examples == 0 || gradSums == null) {
            throw new IllegalStateException("ShardSums: the shares of a batch hold no example with gradients; every"
                    + " batch of fit has at least one example, so a worker returned nothing for its share");
        }
        if (termSums.length != terms.length || gradSums.length != params.size()) {
            throw new IllegalArgumentException("ShardSums: sums of " + termSums.length + " terms and " + gradSums.length
                    + " parameters do not fit a model of " + terms.length + " terms and " + params.size() + " parameters");
        }
        double n = examples;
        for (int i = 0; i < terms.length; i++) {
            terms[i] = termSums[i] / n;
        }
        for (int p = 0; p < gradSums.length; p++) {
            float[] g = params.get(p).grad().buffer();
            double[] sum = gradSums[p];
            if (sum.length != g.length) {
                throw new IllegalArgumentException("ShardSums: " + sum.length + " gradient values for " + params.get(p).name()
                        + ", which has " + g.length);
            }
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (sum[i] / n);
            }
        }
    }

    /** Examples in the shares added so far. */
    public long examples() {
        return examples;
    }

    private static int count(double[][] grads) {
        return grads == null ? 0 : grads.length;
    }

    private static void addInto(double[] into, double[] from) {
        if (into.length != from.length) {
            throw new IllegalArgumentException("ShardSums.add: a parameter of " + from.length + " values cannot be added to one of "
                    + into.length + "; every share must come from the same model class");
        }
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
