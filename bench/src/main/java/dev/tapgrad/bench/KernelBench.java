package dev.tapgrad.bench;

import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link GemmBenchmark} and {@link ConvBenchmark} through JMH and prints GFLOP/s next to the
 * machine's peak. {@code --peak G} sets the per-core fp32 peak in GFLOP/s (default: this VM's
 * AVX-512 Xeon, 2 FMA units × 16 lanes × 2 flops × 2.6 GHz = 166); {@code --quick} shortens the
 * iterations; {@code --kernel} only prints which GEMM kernel this JVM uses ({@link Gemm#kernelName});
 * other arguments are a regexp filter on the shapes (e.g. {@code 512x512x512}). One
 * {@code GEMM <shape> <GFLOP/s>} or {@code CONV <name> <GFLOP/s>} line per result, after a
 * {@code kernel: <name>} line. JMH's forks inherit this JVM's flags, so run it with
 * {@code --add-modules jdk.incubator.vector} for the vector kernel.
 */
public final class KernelBench {
    /**
     * Shapes timed besides {@link GemmBenchmark#SHAPES}: the CNN's 10-class head at batch 32 and
     * 128 (forward, weight gradient, input gradient as Dense calls them) and an MLP head.
     */
    static final String[] HEAD_SHAPES = {
        "32x10x21632:NN", "21632x10x32:TN", "32x21632x10:NT",
        "128x10x21632:NN", "21632x10x128:TN", "128x21632x10:NT",
        "128x10x512:NN", "512x10x128:TN", "128x512x10:NT",
        "64x10x18432:NN", "18432x10x64:TN", "64x18432x10:NT",   // twoconv64/bnconv64 head
        "128x10x1600:NN", "1600x10x128:TN", "128x1600x10:NT",   // convnet128 head
    };

    private KernelBench() {}

    public static void main(String[] args) throws RunnerException {
        double peak = 166.4;
        boolean quick = false;
        String filter = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peak" -> peak = Double.parseDouble(args[++i]);
                case "--quick" -> quick = true;
                case "--kernel" -> {
                    System.out.println(Gemm.kernelName());
                    return;
                }
                default -> filter = args[i];
            }
        }
        System.out.println("kernel: " + Gemm.kernelName());
        int cores = Runtime.getRuntime().availableProcessors();
        OptionsBuilder gemm = new OptionsBuilder();
        gemm.include(GemmBenchmark.class.getName() + ".gemm").forks(1).shouldFailOnError(true);
        java.util.List<String> shapes = new java.util.ArrayList<>();
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(GemmBenchmark.SHAPES));
        for (String s : HEAD_SHAPES) {
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        for (String s : all) {
            if (filter == null || java.util.regex.Pattern.compile(filter).matcher(s).find()) {
                shapes.add(s);
            }
        }
        gemm.param("shape", shapes.toArray(new String[0]));
        quick(gemm, quick);
        Collection<RunResult> results = new Runner(gemm.build()).run();
        System.out.printf(Locale.ROOT, "%n%-22s %10s %9s %14s %14s%n", "shape m x n x k", "µs", "GFLOP/s",
                "% 1-core peak", "% " + cores + "-core peak");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            double us = r.getPrimaryResult().getScore();
            double gflops = GemmBenchmark.Shape.parse(shape).flops() / (us * 1e3);
            System.out.printf(Locale.ROOT, "%-22s %10.1f %9.1f %13.0f%% %13.0f%%%n", shape, us, gflops,
                    100 * gflops / peak, 100 * gflops / (peak * cores));
            System.out.printf(Locale.ROOT, "GEMM %s %.1f%n", shape, gflops);
        }
        if (filter == null || "conv".matches(filter)) {
            OptionsBuilder conv = new OptionsBuilder();
            conv.include(ConvBenchmark.class.getName()).forks(1).shouldFailOnError(true);
            quick(conv, quick);
            Collection<RunResult> convResults = new Runner(conv.build()).run();
            System.out.printf(Locale.ROOT, "%n%-28s %10s %9s %14s%n", "Conv2D 28x28x1 -> 26x26x32", "µs", "GFLOP/s",
                    "% 1-core peak");
            for (RunResult r : convResults) {
                int batch = Integer.parseInt(r.getParams().getParam("batch"));
                String label = r.getParams().getBenchmark().replaceAll(".*\\.", "");
                double us = r.getPrimaryResult().getScore();
                double passes = label.equals("forward") ? 1 : 2;
                double gflops = passes * ConvBenchmark.flopsPerPass(batch) / (us * 1e3);
                String name = label + " B=" + batch;
                System.out.printf(Locale.ROOT, "%-28s %10.1f %9.1f %13.0f%%%n", name, us, gflops, 100 * gflops / peak);
                System.out.printf(Locale.ROOT, "CONV %s/%d %.1f%n", label, batch, gflops);
            }
        }
        System.out.printf(Locale.ROOT, "%npeak: %.1f GFLOP/s fp32 per core (--peak), %d cores%n", peak, cores);
    }

    private static void quick(OptionsBuilder o, boolean quick) {
        // JMH's per-iteration log would bury the table; errors still fail the run.
        o.verbosity(VerboseMode.SILENT);
        if (quick) {
            o.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
    }
}
