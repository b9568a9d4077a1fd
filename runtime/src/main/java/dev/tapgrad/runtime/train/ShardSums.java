package dev.tapgrad.runtime.train;

import java.io.Serializable;

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
