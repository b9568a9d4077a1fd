package dev.tapgrad.bench;

import dev.tapgrad.runtime.Fit;
import java.util.Arrays;
import java.util.Locale;

/**
 * One {@link StepBench} workload built twice in one JVM, each graph with a system property set to
 * another value while it is built (its layers choose their kernel paths then; e.g.
 * {@code tapgrad.conv.winograd.tile 4 2}), then trained epoch by epoch in alternation, the order
 * swapped every round. Prints each setting's median samples/s and the median of the rounds'
 * ratios A/B with its lowest and highest quartile.
 *
 * <p>Why: this benchmark's VM moves by tens of percent within minutes (bench/README.md), so whole
 * workloads compared in separate JVMs (StepBench, one after the other) often stay inconclusive;
 * {@link ConvPathAB} does the same for one layer, this for a whole training step.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tapgrad-bench.jar dev.tapgrad.bench.StepAB \
 *     WORKLOAD PROPERTY VALUE_A VALUE_B [ROUNDS]
 * </pre>
 */
public final class StepAB {
    private StepAB() {}

    public static void main(String[] args) {
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: StepAB WORKLOAD PROPERTY VALUE_A VALUE_B [ROUNDS]");
            System.exit(2);
        }
        String name = args[0], property = args[1];
        String[] values = {args[2], args[3]};
        int rounds = args.length == 5 ? Integer.parseInt(args[4]) : 30;
        StepBench.Workload[] w = new StepBench.Workload[2];
        String before = System.getProperty(property);
        for (int k = 0; k < 2; k++) {
            System.setProperty(property, values[k]);
            w[k] = StepBench.workloads().get(name);
            if (w[k] == null) {
                throw new IllegalArgumentException("unknown workload " + name);
            }
            w[k].fitFresh().accept(w[k].data(), StepBench.epoch(w[k])); // builds the graph under this value
        }
        Fit fit = StepBench.epoch(w[0]);
        if (before == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, before);
        }
        // warm-up: both graphs, alternating, about 10 seconds
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            w[0].fitFresh().accept(w[0].data(), fit);
            w[1].fitFresh().accept(w[1].data(), fit);
        }
        double[][] rate = new double[2][rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2; i++) {
                int k = (r + i) % 2;
                long t0 = System.nanoTime();
                w[k].fitFresh().accept(w[k].data(), fit);
                rate[k][r] = w[k].examples() / ((System.nanoTime() - t0) / 1e9);
            }
            ratio[r] = rate[0][r] / rate[1][r];
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "%s=%s: median %.1f samples/s%n", property, values[k], quantile(rate[k], 0.5));
        }
        System.out.printf(Locale.ROOT, "ratio A/B per round: median %.3f (quartiles %.3f, %.3f) over %d rounds%n",
                quantile(ratio, 0.5), quantile(ratio, 0.25), quantile(ratio, 0.75), rounds);
    }

    private static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }
}
