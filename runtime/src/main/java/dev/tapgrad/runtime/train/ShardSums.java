package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Parameter;
import java.io.Serializable;
import java.util.List;

/**
 * What one worker computed on its share of a batch, as sums so that the shares of every worker add
 * up to the whole batch: the number of examples, each loss term and each parameter's gradient
 * multiplied by that number, each state value (BatchNorm's moving statistics) as the worker's
 * training forward left it, multiplied by that number, and the metric sums over prediction rows.
 * The driver's state becomes the example-weighted mean of the workers' states: each worker moved
 * the same moving statistics by its own share's batch statistics, as Keras does with one BatchNorm
 * per replica (MirroredStrategy, moving statistics aggregated by their mean); the moving mean is
 * then the whole batch's, and the moving variance the mean of the shares' variances, which leaves
 * out the spread between the shares' means. A share with no examples is
 * all zeros and adds nothing. Serializable, as a distributed engine ships it back to the driver;
 * sums are in double so that adding many shares loses nothing a float step would keep.
 */
public final class ShardSums implements Serializable {
    private static final long serialVersionUID = 1L;

    long examples;
    double[] termSums;
    double[][] gradSums;
    double[][] stateSums;
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
            gradSums = copy(other.gradSums);
            stateSums = copy(other.stateSums);
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
            if ((other.stateSums == null) != (stateSums == null) || stateSums != null && other.stateSums.length != stateSums.length) {
                throw new IllegalArgumentException("ShardSums.add: sums of " + count(other.stateSums) + " state values cannot be"
                        + " added to sums of " + count(stateSums) + "; every share must come from the same model class");
            }
            for (int p = 0; stateSums != null && p < stateSums.length; p++) {
                addInto(stateSums[p], other.stateSums[p]);
            }
        }
        examples += other.examples;
        rows += other.rows;
        return this;
    }

    /**
     * The same sums without the gradients and the states: what is left to report once they have been
     * applied.
     */
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

    /**
     * Sets each of {@code state} to the example-weighted mean of the shares' states (see the class
     * comment); nothing for a model without state or sums without states.
     *
     * @throws IllegalArgumentException if the sums do not fit {@code state}; nothing is written then
     */
    void stateMeansInto(List<Parameter> state) {
        if (stateSums == null || examples == 0) {
            return;
        }
        if (stateSums.length != state.size()) {
            throw new IllegalArgumentException("ShardSums: sums of " + stateSums.length + " state values do not fit a model with "
                    + state.size());
        }
        for (int p = 0; p < stateSums.length; p++) {
            if (stateSums[p].length != state.get(p).value().size()) {
                throw new IllegalArgumentException("ShardSums: " + stateSums[p].length + " values for " + state.get(p).name()
                        + ", which has " + state.get(p).value().size());
            }
        }
        double n = examples;
        for (int p = 0; p < stateSums.length; p++) {
            float[] v = state.get(p).value().buffer();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (stateSums[p][i] / n);
            }
        }
    }

    /** {@code n} times each value of {@code state} (a worker's share of the sums); null for a model without state. */
    static double[][] timesExamples(List<Parameter> state, int n) {
        if (state.isEmpty()) {
            return null;
        }
        double[][] sums = new double[state.size()][];
        for (int p = 0; p < sums.length; p++) {
            float[] v = state.get(p).value().buffer();
            sums[p] = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                sums[p][i] = (double) n * v[i];
            }
        }
        return sums;
    }

    /** Examples in the shares added so far. */
    public long examples() {
        return examples;
    }

    private static double[][] copy(double[][] sums) {
        if (sums == null) {
            return null;
        }
        double[][] c = new double[sums.length][];
        for (int p = 0; p < c.length; p++) {
            c[p] = sums[p].clone();
        }
        return c;
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
