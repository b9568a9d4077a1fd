package dev.tapgrad.bench;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's measured fp32 FMA peak: independent fused multiply-adds on the widest vectors
 * (12 accumulators, more than FMA latency × FMA units needs, so the units never wait), one
 * thread per core, nothing loaded from memory. This is the roof the per-kernel shares in
 * bench/README.md are taken against, measured rather than computed from a nominal clock (a VM
 * does not report the clock it runs at).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tapgrad-bench.jar dev.tapgrad.bench.PeakBench
 * </pre>
 *
 * Prints {@code PEAK <GFLOP/s per core>} (the best of the thread counts 1 .. cores, per core) and
 * one human-readable line per thread count.
 */
public final class PeakBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 2_000_000;
    private static volatile float sink;

    private PeakBench() {}

    public static void main(String[] args) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < 30; i++) {
            sink += kernel(ITERATIONS / 100);   // bring kernel to C2 before timing
        }
        double best = 0;
        for (int threads = 1; threads <= cores; threads++) {
            double perCore = measure(threads);
            System.out.printf(Locale.ROOT, "fma peak: %d thread(s) %.1f GFLOP/s per core (%d lanes)%n",
                    threads, perCore, S.length());
            best = Math.max(best, perCore);
        }
        System.out.printf(Locale.ROOT, "PEAK %.1f%n", best);
    }

    /** GFLOP/s per thread with {@code threads} threads each running the kernel for about half a second, best of 3. */
    private static double measure(int threads) throws InterruptedException {
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            long[] nanos = new long[threads];
            int reps = 10;
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    long start = System.nanoTime();
                    float s = 0;
                    for (int r = 0; r < reps; r++) {
                        s += kernel(ITERATIONS);
                    }
                    nanos[id] = System.nanoTime() - start;
                    sink += s;
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            double flops = 2.0 * 12 * S.length() * ITERATIONS * reps;
            long slowest = 0;
            for (long n : nanos) {
                slowest = Math.max(slowest, n);
            }
            best = Math.max(best, flops / slowest);
        }
        return best;
    }

    private static float kernel(int iterations) {
        FloatVector a = FloatVector.broadcast(S, 0.999999f);
        FloatVector b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
