package dev.tapgrad.spark;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.train.GradientStep;
import dev.tapgrad.runtime.train.ShardSums;
import dev.tapgrad.runtime.train.ShardedGradients;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Synchronous mode's batches for {@code fit}'s own loop ({@link GradientStep#fit}): the training
 * examples cut once into cached shards, and every batch one Spark job — the weights and state broadcast, each
 * shard's part of the batch computed by its model, the sums added by {@code treeAggregate}.
 */
final class SyncGradients implements ShardedGradients {
    private final JavaSparkContext sc;
    private final GradientStep step;
    private final int parts;
    private final RunId run;
    private JavaRDD<Shard> shards;
    private Broadcast<int[]> order;
    private int epoch;
    private int batch;

    SyncGradients(JavaSparkContext sc, GradientStep step, int parts, RunId run) {
        this.sc = sc;
        this.step = step;
        this.parts = parts;
        this.run = run;
    }

    @Override
    public void begin(Dataset train) {
        shards = sc.parallelize(Shard.split(train, parts), parts)
                .setName("tapgrad " + step.modelName() + " shards").persist(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public void epoch(int number, int[] next) {
        if (order != null) {
            order.destroy();
        }
        order = sc.broadcast(next.clone()); // fit's array is live: the next shuffle overwrites it
        epoch = number;
        batch = 0;
    }

    @Override
    public ShardSums batch(int from, int to) {
        batch++;
        Broadcast<ModelSnapshot> weights = sc.broadcast(ModelSnapshot.of(step));
        try {
            return shards.treeAggregate(ShardSums.zero(), new SyncStepTask(run, weights, order, from, to), ShardSums::add);
        } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
            throw SparkFit.failed(e, "step " + batch + " of epoch " + epoch);
        } finally {
            weights.destroy();
        }
    }

    @Override
    public void end() {
        if (order != null) {
            order.destroy();
        }
        if (shards != null) {
            shards.unpersist(false);
        }
        WorkerModels.release(run.id);
    }
}
