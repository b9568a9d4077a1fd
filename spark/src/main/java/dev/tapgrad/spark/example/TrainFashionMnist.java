package dev.tapgrad.spark.example;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.io.Idx;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.spark.SparkFit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The spark-submit example of the README: trains {@link FashionMlp} on Fashion-MNIST with {@link
 * SparkFit} and prints one JSON line with the figures. The master comes from spark-submit
 * ({@code --master}); run alone it uses {@code local[2]}.
 *
 * <pre>
 * spark-submit --class dev.tapgrad.spark.example.TrainFashionMnist tapgrad-spark-all.jar DATA_DIR [EPOCHS] [AVERAGE_EVERY]
 * </pre>
 *
 * DATA_DIR holds the four Fashion-MNIST IDX files (plain or .gz); AVERAGE_EVERY &gt; 0 switches to
 * parameter averaging every that many local steps.
 */
public final class TrainFashionMnist {
    private TrainFashionMnist() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TrainFashionMnist DATA_DIR [EPOCHS] [AVERAGE_EVERY]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Dataset train = read(dir, "train");
        Dataset test = read(dir, "t10k");
        SparkConf conf = new SparkConf().setAppName("tapgrad-fashion-mnist").setIfMissing("spark.master", "local[2]");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            FashionMlpGraph model = new FashionMlpGraph(42);
            Fit fit = Fit.epochs(epochs).batchSize(64).optimizer(Adam.lr(1e-3)).validation(test).seed(1);
            long start = System.nanoTime();
            History h = every > 0 ? SparkFit.on(sc).averageEvery(every, () -> Adam.lr(1e-3)).fit(model, train, fit)
                    : SparkFit.fit(sc, model, train, fit);
            System.out.printf(Locale.ROOT, "{\"master\":\"%s\",\"epochs\":%d,\"average_every\":%d,\"loss\":%.4f,"
                    + "\"test_accuracy\":%.4f,\"train_seconds\":%.1f}%n", sc.master(), epochs, every, h.last("loss"),
                    h.last("val_accuracy"), (System.nanoTime() - start) / 1e9);
        }
    }

    private static Dataset read(Path dir, String prefix) throws IOException {
        return Dataset.of(Idx.readImages(file(dir, prefix + "-images-idx3-ubyte")),
                Dataset.oneHot(Idx.readLabels(file(dir, prefix + "-labels-idx1-ubyte")), 10));
    }

    private static Path file(Path dir, String name) {
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : dir.resolve(name + ".gz");
    }
}
