package dev.tapgrad.spark;

import dev.tapgrad.runtime.train.ShardSums;
import java.io.Serializable;

/**
 * What the shards return from one averaging round, added up: the loss and metric sums of their
 * local steps, and their weights and state (BatchNorm's moving statistics) each multiplied by the
 * examples the shard trained on, so that the driver's average weighs every shard by its examples.
 */
final class AveragingSums implements Serializable {
    private static final long serialVersionUID = 1L;

    final ShardSums stats = ShardSums.zero();
    double[][] weightSums;
    double[][] stateSums;

    static AveragingSums of(ShardSums stats, float[][] weights, float[][] state) {
        AveragingSums s = new AveragingSums();
        s.stats.add(stats);
        double n = stats.examples();
        s.weightSums = times(weights, n);
        s.stateSums = times(state, n);
        return s;
    }

    /** Adds {@code other} into this one (the combine function of the round's tree aggregation). */
    AveragingSums add(AveragingSums other) {
        if (other.weightSums == null) {
            return this;
        }
        stats.add(other.stats);
        if (weightSums == null) {
            weightSums = other.weightSums;
            stateSums = other.stateSums;
        } else {
            addInto(weightSums, other.weightSums);
            addInto(stateSums, other.stateSums);
        }
        return this;
    }

    /** The example-weighted mean of the shards' weights. */
    float[][] meanWeights() {
        return mean(weightSums, stats.examples());
    }

    /** The example-weighted mean of the shards' state. */
    float[][] meanState() {
        return mean(stateSums, stats.examples());
    }

    private static float[][] mean(double[][] sums, double examples) {
        float[][] w = new float[sums.length][];
        for (int p = 0; p < w.length; p++) {
            w[p] = new float[sums[p].length];
            for (int i = 0; i < w[p].length; i++) {
                w[p][i] = (float) (sums[p][i] / examples);
            }
        }
        return w;
    }

    private static double[][] times(float[][] values, double n) {
        double[][] sums = new double[values.length][];
        for (int p = 0; p < values.length; p++) {
            double[] w = new double[values[p].length];
            for (int i = 0; i < w.length; i++) {
                w[i] = n * values[p][i];
            }
            sums[p] = w;
        }
        return sums;
    }

    private static void addInto(double[][] into, double[][] from) {
        for (int p = 0; p < into.length; p++) {
            for (int i = 0; i < into[p].length; i++) {
                into[p][i] += from[p][i];
            }
        }
    }
}
