package dev.tapgrad.spark.bench;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.io.Idx;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.spark.SparkFit;
import dev.tapgrad.spark.example.FashionMlpGraph;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The README's figures (not a test): per-step time of plain fit and of SparkFit on local[2], and
 * the test accuracy of synchronous training against parameter averaging, on the samples' bundled
 * Fashion-MNIST subset (10,000 training, 2,000 test images) with an MLP 784-128-10.
 * Run: java -cp ... dev.tapgrad.spark.bench.SparkOverhead [samples resources folder] [epochs]
 */
public final class SparkOverhead {
    private SparkOverhead() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "samples/src/main/resources/dev/tapgrad/samples/fashion-mnist");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Dataset train = Dataset.of(Idx.readImages(dir.resolve("train-images-idx3-ubyte.gz")),
                Dataset.oneHot(Idx.readLabels(dir.resolve("train-labels-idx1-ubyte.gz")), 10));
        Dataset test = Dataset.of(Idx.readImages(dir.resolve("t10k-images-idx3-ubyte.gz")),
                Dataset.oneHot(Idx.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz")), 10));
        int batch = 64;
        int steps = (train.size() + batch - 1) / batch;
        Fit fit = Fit.epochs(epochs).batchSize(batch).optimizer(Adam.lr(1e-3)).seed(1).verbose(false);

        new FashionMlpGraph(1).fit(train, Fit.epochs(1).batchSize(batch).verbose(false)); // JIT warm-up
        report("fit (one process)", epochs * steps, m -> m.fit(train, fit), test);

        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("tapgrad-spark-overhead")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            SparkFit.fit(sc, new FashionMlpGraph(1), train, Fit.epochs(1).batchSize(batch).verbose(false)); // warm-up
            emptyJobs(sc, 200);
            report("SparkFit synchronous, local[2]", epochs * steps, m -> SparkFit.fit(sc, m, train, fit), test);
            for (int k : new int[] {4, 16}) {
                report("SparkFit averaging every " + k + ", local[2]", epochs * steps,
                        m -> SparkFit.on(sc).averageEvery(k, () -> Adam.lr(1e-3)).fit(m, train, fit), test);
            }
        }
    }

    /** What Spark alone costs per step: a tree aggregation over two cached partitions that computes nothing. */
    private static void emptyJobs(JavaSparkContext sc, int jobs) {
        var rdd = sc.parallelize(java.util.List.of(1, 2), 2).cache();
        rdd.count();
        long start = System.nanoTime();
        for (int j = 0; j < jobs; j++) {
            rdd.treeAggregate(0, (a, b) -> a + b, (a, b) -> a + b);
        }
        System.out.printf(Locale.ROOT, "%-40s %7.2f s  %6.2f ms/job%n", "empty treeAggregate job, local[2]",
                (System.nanoTime() - start) / 1e9, (System.nanoTime() - start) / 1e6 / jobs);
    }

    private interface Run {
        History train(FashionMlpGraph model) throws Exception;
    }

    private static void report(String what, int steps, Run run, Dataset test) throws Exception {
        FashionMlpGraph model = new FashionMlpGraph(42);
        long start = System.nanoTime();
        History h = run.train(model);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-40s %7.2f s  %6.2f ms/step  train loss %.4f  test accuracy %.4f%n", what, seconds,
                1e3 * seconds / steps, h.last("loss"), model.evaluate(test).get("accuracy"));
    }
}
