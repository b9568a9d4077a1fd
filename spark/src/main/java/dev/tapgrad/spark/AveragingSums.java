package dev.tapgrad.spark;

import dev.tapgrad.runtime.train.ShardSums;
import java.io.Serializable;

/**
 * What the shards return from one averaging round, added up: the loss and metric sums of their
 * local steps, and their weights each multiplied by the examples the shard trained on, so that the
 * driver's average weighs every shard by its examples.
 */
final class AveragingSums implements Serializable {
    private static final long serialVersionUID = 1L;

    final ShardSums stats = ShardSums.zero();
    double[][] weightSums;

    static AveragingSums of(ShardSums stats, float[][] weights) {
        AveragingSums s = new AveragingSums();
        s.stats.add(stats);
        double n = stats.examples();
        s.weightSums = new double[weights.length][];
        for (int p = 0; p < weights.length; p++) {
            double[] w = new double[weights[p].length];
            for (int i = 0; i < w.length; i++) {
                w[i] = n * weights[p][i];
            }
            s.weightSums[p] = w;
        }
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
        } else {
            for (int p = 0; p < weightSums.length; p++) {
                for (int i = 0; i < weightSums[p].length; i++) {
                    weightSums[p][i] += other.weightSums[p][i];
                }
            }
        }
        return this;
    }

    /** The example-weighted mean of the shards' weights. */
    float[][] average() {
        double n = stats.examples();
        float[][] w = new float[weightSums.length][];
        for (int p = 0; p < w.length; p++) {
            w[p] = new float[weightSums[p].length];
            for (int i = 0; i < w[p].length; i++) {
                w[p][i] = (float) (weightSums[p][i] / n);
            }
        }
        return w;
    }
}
