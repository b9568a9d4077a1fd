package dev.tapgrad.spark;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.train.GradientStep;
import dev.tapgrad.runtime.train.ShardSums;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains a Tapgrad model on Apache Spark with data parallelism, in place, and returns its {@link
 * History} as {@code model.fit} does.
 *
 * <pre>{@code
 * History h = SparkFit.fit(sc, new MnistMlpGraph(42), train, Fit.epochs(5).batchSize(64).optimizer(Adam.lr(1e-3)));
 * SparkFit.on(sc).partitions(8).averageEvery(16).fit(model, train, Fit.epochs(5));   // less communication
 * }</pre>
 *
 * <p>Synchronous mode (the default): the training set is cut into one cached shard per partition;
 * every step each shard computes the loss terms and gradients of the batch's examples it holds,
 * with the model's generated code at the step's weights (broadcast), the driver adds them with
 * {@code treeAggregate}, weighted by example counts, and steps the optimizer. Batches, shuffling
 * and optimizer are {@code fit}'s, so on {@code local[N]} the result equals {@code fit}'s within
 * float rounding for losses that average over examples; terms that couple the examples of a batch
 * (BatchNorm's batch statistics, a loss over pairs in the batch) see each shard's part only, and
 * Dropout draws other masks. State that training moves (BatchNorm's moving statistics) travels with
 * the weights: each shard moves the driver's values by its part of the batch, and the driver takes
 * the example-weighted mean, as Keras does with a BatchNorm per replica. Parameter averaging
 * ({@link #averageEvery}) communicates less: each shard takes local steps on its own examples and
 * the driver averages the weights (and that state) every k steps.
 *
 * <p>Synchronous mode runs {@code fit}'s own loop ({@link GradientStep#fit}) with only the forward
 * and backward of each batch on Spark, so every {@code Fit} option means what it means for {@code
 * fit}: epochs, batch size, seed, validation data and {@code validationSplit} (the same split),
 * {@code clipNorm} (on the summed gradient), callbacks (run on the driver with {@code fit}'s logs,
 * and may stop training), {@code backupTo} (the driver writes {@code fit}'s backup files),
 * {@code initialEpoch}, verbosity, batch listener; the optimizer's state and the epochs trained stay
 * on the model between calls, so two calls of one epoch train as one call of two. Parameter
 * averaging is another algorithm and refuses callbacks, {@code validationSplit}, {@code clipNorm},
 * {@code backupTo} and {@code initialEpoch}. The executors build the model from its class (the
 * generated graph's public constructor), so that class must be on their class path.
 */
public final class SparkFit {
    private final JavaSparkContext sc;
    private final int partitions;
    private final int every;
    private final OptimizerFactory workerOptimizer;

    private SparkFit(JavaSparkContext sc, int partitions, int every, OptimizerFactory workerOptimizer) {
        this.sc = sc;
        this.partitions = partitions;
        this.every = every;
        this.workerOptimizer = workerOptimizer;
    }

    /** Synchronous data-parallel training over {@code sc.defaultParallelism()} partitions; see the class comment. */
    public static History fit(JavaSparkContext sc, TrainableModel model, Dataset train, Fit options) {
        return on(sc).fit(model, train, options);
    }

    /** Training on {@code sc} with options set by the methods below, then {@link #fit(TrainableModel, Dataset, Fit)}. */
    public static SparkFit on(JavaSparkContext sc) {
        Objects.requireNonNull(sc, "SparkFit.on: pass a JavaSparkContext");
        return new SparkFit(sc, 0, 0, null);
    }

    /**
     * Cuts the training set into {@code n} shards (default: the context's default parallelism);
     * with more shards than examples some are empty and take no part.
     */
    public SparkFit partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SparkFit.partitions: need at least 1 partition, got " + n);
        }
        return new SparkFit(sc, n, every, workerOptimizer);
    }

    /**
     * Parameter averaging instead of synchronous steps: each shard trains alone with {@code Fit}'s
     * optimizer on local batches of {@code batchSize / partitions} examples from its own shuffled
     * shard, and the driver averages the weights (weighted by examples) every {@code steps} local
     * steps. The optimizer travels to the executors: the built-in ones are serializable, and so is a
     * {@code Schedule} lambda whose captured values are; for an optimizer that is not, use {@link
     * #averageEvery(int, OptimizerFactory)}.
     */
    public SparkFit averageEvery(int steps) {
        return averageEvery(steps, null);
    }

    /**
     * Parameter averaging every {@code steps} local steps (see {@link #averageEvery(int)}), each
     * shard stepping with an optimizer from {@code workers}, e.g. {@code () -> Adam.lr(1e-3)};
     * each shard keeps its optimizer's state from round to round.
     */
    public SparkFit averageEvery(int steps, OptimizerFactory workers) {
        if (steps < 1) {
            throw new IllegalArgumentException("SparkFit.averageEvery: need at least 1 local step between averages, got " + steps);
        }
        return new SparkFit(sc, partitions, steps, workers);
    }

    /**
     * Trains {@code model} (a generated graph) in place on {@code train} and returns the per-epoch
     * history, keyed as {@code fit}'s.
     *
     * @throws IllegalArgumentException if the model's class cannot be built on the executors
     * @throws dev.tapgrad.runtime.TapgradDataException if the data does not fit the model (nothing has changed)
     * @throws dev.tapgrad.runtime.TrainingDivergedException on a non-finite loss or gradient
     */
    public History fit(TrainableModel model, Dataset train, Fit options) {
        GradientStep step = GradientStep.of(model);
        WorkerModels.checkConstructible(model.getClass());
        int parts = partitions > 0 ? partitions : Math.max(1, sc.defaultParallelism());
        RunId run = new RunId(model.getClass().getName(), options.seed());
        if (every == 0) {
            // fit's own loop (validation split, shuffle, clipping, optimizer state, callbacks, backup), batches on Spark
            return step.fit(train, options, new SyncGradients(sc, step, parts, run));
        }
        refuseUnsupported(step, options);
        step.checkData(train.x(), train.y(), "training data");
        options.validation().ifPresent(v -> step.checkData(v.x(), v.y(), "validation data"));
        OptimizerFactory local = workerOptimizer(options);
        int n = train.size();
        JavaRDD<Shard> shards = sc.parallelize(Shard.split(train, parts), parts)
                .setName("tapgrad " + step.modelName() + " shards").persist(StorageLevel.MEMORY_ONLY());
        List<Map<String, Double>> records = new ArrayList<>();
        try {
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                long started = System.nanoTime();
                step.startEpoch();
                int rounds = averagingEpoch(step, shards, run, local, n, parts, options, epoch);
                Map<String, Double> record = new LinkedHashMap<>(step.epochAverages());
                String summary = "Epoch " + (epoch + 1) + "/" + options.epochs() + ": " + step.describe(record, "");
                if (options.validation().isPresent()) {
                    Map<String, Double> val = new LinkedHashMap<>();
                    model.evaluate(options.validation().get()).forEach((key, v) -> val.put("val_" + key, v));
                    summary += " · " + step.describe(val, "val_");
                    record.putAll(val);
                }
                records.add(record);
                if (options.verbose()) {
                    System.err.println(summary + String.format(Locale.ROOT, " (%.1f s, %d rounds on Spark)",
                            (System.nanoTime() - started) / 1e9, rounds));
                }
            }
        } finally {
            shards.unpersist(false);
            WorkerModels.release(run.id);
        }
        return History.of(records);
    }

    /**
     * Parameter averaging is another algorithm than {@code fit}'s: no single optimizer steps on the
     * driver, so the options that act on that optimizer, its gradient or its epochs have no meaning
     * there and are refused rather than silently ignored.
     */
    private void refuseUnsupported(GradientStep step, Fit options) {
        List<String> refused = new ArrayList<>();
        if (!options.callbacks().isEmpty()) {
            refused.add("callbacks");
        }
        if (options.validationSplit().isPresent()) {
            refused.add("validationSplit (pass Fit.validation(data) instead)");
        }
        if (options.clipNorm().isPresent()) {
            refused.add("clipNorm");
        }
        if (options.backupDir().isPresent()) {
            refused.add("backupTo");
        }
        if (options.initialEpoch() > 0) {
            refused.add("initialEpoch");
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("SparkFit.averageEvery(" + every + ") trains " + step.modelName() + " by parameter"
                    + " averaging, where these Fit options have no meaning: " + String.join(", ", refused) + ". Use synchronous"
                    + " mode (SparkFit.fit without averageEvery), which takes every Fit option as fit does, or drop them."
                    + " Nothing was trained.");
        }
    }

    /** One epoch of averaging rounds; returns the number of rounds. */
    private int averagingEpoch(GradientStep step, JavaRDD<Shard> shards, RunId run, OptimizerFactory local, int n, int parts,
            Fit options, int epoch) {
        int localBatch = Math.max(1, Math.min(options.batchSize(), n) / parts);
        int largest = n / parts + (n % parts == 0 ? 0 : 1);
        int rounds = (AveragingRoundTask.steps(largest, localBatch) + every - 1) / every;
        for (int r = 0; r < rounds; r++) {
            Broadcast<ModelSnapshot> weights = sc.broadcast(ModelSnapshot.of(step));
            try {
                AveragingSums sums;
                try {
                    sums = shards.treeAggregate(new AveragingSums(),
                            new AveragingRoundTask(run, weights, local, epoch, r, every, localBatch), AveragingSums::add);
                } catch (Exception e) {
                    throw failed(e, "averaging round " + (r + 1) + " of epoch " + (epoch + 1));
                }
                if (sums.weightSums == null) {
                    continue;
                }
                step.setWeights(sums.meanWeights());
                step.setState(sums.meanState());
                step.record(sums.stats);
                double[] terms = sums.stats.termMeans();
                int round = r;
                options.batchListener().ifPresent(l -> l.batchEnded(epoch + 1, round + 1, terms));
            } finally {
                weights.destroy();
            }
        }
        return rounds;
    }

    /** A failed Spark job as one error that says which step, that the weights are those before it, and why. */
    static IllegalStateException failed(Exception e, String what) {
        return new IllegalStateException("SparkFit: " + what + " failed on the executors, after Spark's retries"
                + " (spark.task.maxFailures); the model keeps the weights from before it. Cause: " + e.getMessage(), e);
    }

    private OptimizerFactory workerOptimizer(Fit options) {
        if (workerOptimizer != null) {
            return workerOptimizer;
        }
        if (options.optimizer() instanceof Serializable) {
            Serializable optimizer = (Serializable) options.optimizer();
            return () -> (Optimizer) optimizer;
        }
        throw new IllegalArgumentException("SparkFit.averageEvery: the executors step with their own copy of the optimizer, but "
                + options.optimizer() + " is not Serializable; pass it as a factory instead, e.g. averageEvery("
                + every + ", () -> Adam.lr(1e-3))");
    }
}
