package dev.tapgrad.spark;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.train.ShardSums;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One synchronous step on one shard (the sequence function of the step's tree aggregation): the
 * batch's examples that lie in the shard, run through the shard's model at the step's weights and state.
 */
final class SyncStepTask implements Function2<ShardSums, Shard, ShardSums> {
    private static final long serialVersionUID = 1L;

    private final RunId run;
    private final Broadcast<ModelSnapshot> weights;
    private final Broadcast<int[]> order;
    private final int from;
    private final int to;

    SyncStepTask(RunId run, Broadcast<ModelSnapshot> weights, Broadcast<int[]> order, int from, int to) {
        this.run = run;
        this.weights = weights;
        this.order = order;
        this.from = from;
        this.to = to;
    }

    @Override
    public ShardSums call(ShardSums sums, Shard shard) {
        Tensor[] xy = shard.gather(order.value(), from, to);
        if (xy == null) {
            return sums; // this shard holds none of the batch: it adds nothing
        }
        WorkerModels.Worker w = WorkerModels.get(run.id, shard.index, run.modelClass, run.seed);
        synchronized (w) {
            weights.value().applyTo(w.step);
            return sums.add(w.step.compute(xy[0], xy[1]));
        }
    }
}
