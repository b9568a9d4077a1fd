package dev.tapgrad.spark;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.train.GradientStep;
import dev.tapgrad.runtime.train.ShardSums;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One round of parameter averaging on one shard: from the averaged weights, up to {@code every}
 * local steps over the shard's own shuffled examples with the shard's own optimizer, then the
 * resulting weights and state (times the examples seen, for the weighted average) and the steps'
 * loss sums.
 */
final class AveragingRoundTask implements Function2<AveragingSums, Shard, AveragingSums> {
    private static final long serialVersionUID = 1L;

    private final RunId run;
    private final Broadcast<ModelSnapshot> weights;
    private final OptimizerFactory optimizer;
    private final int epoch;
    private final int round;
    private final int every;
    private final int localBatch;

    AveragingRoundTask(RunId run, Broadcast<ModelSnapshot> weights, OptimizerFactory optimizer, int epoch, int round, int every,
            int localBatch) {
        this.run = run;
        this.weights = weights;
        this.optimizer = optimizer;
        this.epoch = epoch;
        this.round = round;
        this.every = every;
        this.localBatch = localBatch;
    }

    /** Local steps of a shard of {@code count} examples in one epoch. */
    static int steps(int count, int localBatch) {
        return (count + localBatch - 1) / localBatch;
    }

    @Override
    public AveragingSums call(AveragingSums sums, Shard shard) {
        int steps = steps(shard.count, localBatch);
        int first = round * every;
        int last = Math.min(first + every, steps);
        if (first >= last) {
            return sums; // this shard has finished its epoch: it takes no part in this average
        }
        WorkerModels.Worker w = WorkerModels.get(run.id, shard.index, run.modelClass, run.seed);
        synchronized (w) {
            GradientStep step = w.step;
            w.startOnce(optimizer.create());
            weights.value().applyTo(step);
            // each shard its own order, fixed by the seed, the epoch and the shard (shard 0 draws fit's)
            int[] local = GradientStep.order(shard.count, run.seed + 1_000_003L * shard.index, epoch);
            ShardSums stats = ShardSums.zero();
            for (int s = first; s < last; s++) {
                Tensor[] xy = shard.rows(local, s * localBatch, Math.min((s + 1) * localBatch, shard.count));
                ShardSums one = step.compute(xy[0], xy[1]);
                step.apply(one, epoch + 1, s + 1, steps);
                stats.add(one.withoutGradients());
            }
            return sums.add(AveragingSums.of(stats, step.weights(), step.state()));
        }
    }
}
