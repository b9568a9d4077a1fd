package dev.tapgrad.bench;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Adam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * End-to-end harness of issue 5: samples per second of a full training step (forward, backward with
 * the aux losses, Adam update) through the generated graphs' {@code fit}, on synthetic data of the
 * workloads' shapes. Each workload is warmed up, then timed over whole epochs until enough time has
 * passed; one {@code RESULT <workload> <samples/s>} line per workload goes to stdout.
 *
 * <pre>
 * java -cp tapgrad-bench.jar dev.tapgrad.bench.StepBench [--warmup S] [--measure S] [workload ...]
 * </pre>
 *
 * Workloads: cnn32, cnn128, lstm32, diverse32, mlp128, convnet128, gru32, twoconv64, bnconv64, gru64
 * (default: all).
 * bench/torch_bench.py is the PyTorch side with the same names, shapes, losses and optimizer.
 */
public final class StepBench {
    /** One workload: how to build a fresh graph's training call and its data. */
    record Workload(String name, int batch, int examples, Dataset data, BiConsumer<Dataset, Fit> fitFresh) {}

    private StepBench() {}

    public static void main(String[] args) {
        double warmup = 4;
        double measure = 6;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--measure" -> measure = Double.parseDouble(args[++i]);
                default -> names.add(args[i]);
            }
        }
        Map<String, Workload> all = workloads();
        if (names.isEmpty()) {
            names.addAll(all.keySet());
        }
        for (String name : names) {
            Workload w = all.get(name);
            if (w == null) {
                throw new IllegalArgumentException("unknown workload " + name + "; known: " + all.keySet());
            }
            double rate = run(w, warmup, measure);
            System.out.printf(Locale.ROOT, "RESULT %s %.1f%n", w.name(), rate);
        }
    }

    /** One epoch of a workload as every harness here trains it: its batch, Adam at 1e-3, seed 1, quiet. */
    static Fit epoch(Workload w) {
        return Fit.epochs(1).batchSize(w.batch()).optimizer(Adam.lr(1e-3)).verbose(false).seed(1);
    }

    /** Samples per second of {@code fit} epochs after {@code warmup} seconds, over at least {@code measure} seconds. */
    static double run(Workload w, double warmup, double measure) {
        Fit fit = epoch(w);
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) {
            w.fitFresh().accept(w.data(), fit);
        }
        long samples = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            w.fitFresh().accept(w.data(), fit);
            samples += w.examples();
            elapsed = System.nanoTime() - start;
        } while (elapsed < measure * 1e9);
        return samples / (elapsed / 1e9);
    }

    static Map<String, Workload> workloads() {
        Random r = new Random(42);
        Map<String, Workload> m = new LinkedHashMap<>();
        // One graph per workload, reused across epochs as a user's fit loop would: its buffers are
        // allocated at the first batch; each fit call starts a fresh Adam state. Each graph is built
        // at its workload's first fit (lazy), because building a graph starts its kernel warm-up:
        // built all at once, ten warm-up threads competed with the first workloads' measurements
        // and flooded HotSpot's one C2 thread on two cores.
        Dataset images = Dataset.of(uniform(r, 1024, 28, 28, 1), oneHot(r, 1024, 10));
        m.put("cnn32", new Workload("cnn32", 32, 1024, images, lazy(() -> new BenchCnnGraph(1))));
        m.put("cnn128", new Workload("cnn128", 128, 1024, images, lazy(() -> new BenchCnnGraph(1))));
        m.put("lstm32", new Workload("lstm32", 32, 512,
                Dataset.of(Tensor.randn(r, 512, 100, 1), Tensor.randn(r, 512, 100, 1)), lazy(() -> new BenchLstmGraph(1))));
        m.put("diverse32", new Workload("diverse32", 32, 4096,
                Dataset.of(Tensor.randn(r, 4096, 10), Tensor.randn(r, 4096, 1)), lazy(() -> new BenchDiverseMlpGraph(1))));
        m.put("mlp128", new Workload("mlp128", 128, 2048,
                Dataset.of(uniform(r, 2048, 784), oneHot(r, 2048, 10)), lazy(() -> new BenchMlpGraph(1))));
        // Issue 12: the convnet and text-gru samples' models. fit trains, so the Dropout is active.
        m.put("convnet128", new Workload("convnet128", 128, 1024, images, lazy(() -> new BenchConvNetGraph(1))));
        m.put("gru32", new Workload("gru32", 32, 2048,
                Dataset.of(tokens(r, 2048, BenchGru.STEPS, BenchGru.VOCABULARY), bits(r, 2048)),
                lazy(() -> new BenchGruGraph(1))));
        // Issue 17: models outside the original four shapes, each with an aux loss on an inner layer.
        m.put("twoconv64", new Workload("twoconv64", 64, 1024, images, lazy(() -> new BenchTwoConvGraph(1))));
        m.put("bnconv64", new Workload("bnconv64", 64, 1024, images, lazy(() -> new BenchBnConvGraph(1))));
        m.put("gru64", new Workload("gru64", 64, 1024,
                Dataset.of(tokens(r, 1024, BenchLongGru.STEPS, BenchLongGru.VOCABULARY), bits(r, 1024)),
                lazy(() -> new BenchLongGruGraph(1))));
        return m;
    }

    /** A workload's training call that builds its graph with {@code make} at the first call and reuses it after. */
    static BiConsumer<Dataset, Fit> lazy(Supplier<TrainableModel> make) {
        TrainableModel[] graph = new TrainableModel[1];
        return (d, f) -> {
            if (graph[0] == null) {
                graph[0] = make.get();
            }
            graph[0].fit(d, f);
        };
    }

    static Tensor uniform(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] b = t.buffer();
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat();
        }
        return t;
    }

    /** {@code n} rows of {@code steps} token ids drawn uniformly from {@code [0, vocabulary)}, as floats. */
    static Tensor tokens(Random r, int n, int steps, int vocabulary) {
        Tensor t = Tensor.zeros(n, steps);
        float[] b = t.buffer();
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(vocabulary);
        }
        return t;
    }

    /** {@code n} binary labels, shape (n, 1). */
    static Tensor bits(Random r, int n) {
        Tensor t = Tensor.zeros(n, 1);
        float[] b = t.buffer();
        for (int i = 0; i < n; i++) {
            b[i] = r.nextBoolean() ? 1f : 0f;
        }
        return t;
    }

    static Tensor oneHot(Random r, int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        return Dataset.oneHot(labels, classes);
    }
}
