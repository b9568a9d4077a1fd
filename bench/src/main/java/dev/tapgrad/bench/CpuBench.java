package dev.tapgrad.bench;

import dev.tapgrad.runtime.Fit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * Training samples per CPU-second of the calling thread, for comparing two builds on a loaded
 * machine where wall-clock rates mostly measure the other processes: run with
 * {@code -Dtapgrad.threads=1} so that all of a step's work is on this thread, old and new jar
 * alternately.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dtapgrad.threads=1 -cp tapgrad-bench.jar dev.tapgrad.bench.CpuBench WARMUP_S MEASURE_S workload ...
 * </pre>
 *
 * Workloads are {@link StepBench}'s. Cache and SMT sharing with other processes still move the
 * figures by ±15% from run to run here, so alternate several times and compare medians.
 */
public final class CpuBench {
    public static void main(String[] args) {
        double warm = Double.parseDouble(args[0]);
        double meas = Double.parseDouble(args[1]);
        Map<String, StepBench.Workload> all = StepBench.workloads();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 2; i < args.length; i++) {
            StepBench.Workload w = all.get(args[i]);
            Fit fit = StepBench.epoch(w);
            long end = mx.getCurrentThreadCpuTime() + (long) (warm * 1e9);
            while (mx.getCurrentThreadCpuTime() < end) {
                w.fitFresh().accept(w.data(), fit);
            }
            long samples = 0;
            long start = mx.getCurrentThreadCpuTime();
            long el;
            do {
                w.fitFresh().accept(w.data(), fit);
                samples += w.examples();
                el = mx.getCurrentThreadCpuTime() - start;
            } while (el < meas * 1e9);
            System.out.printf(java.util.Locale.ROOT, "CPU %s %.1f samples/cpu-s%n", w.name(), samples / (el / 1e9));
        }
    }
}
