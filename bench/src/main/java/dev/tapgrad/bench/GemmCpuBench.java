package dev.tapgrad.bench;

import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * GEMM GFLOP/s per CPU-second of the calling thread, for comparing two builds of a kernel on a
 * loaded machine, where {@link KernelBench}'s wall-clock JMH times mostly measure the other
 * processes: run with {@code -Dtapgrad.threads=1}, old and new jar alternately, and compare.
 *
 * <pre>
 * java -Dtapgrad.vector=false -Dtapgrad.threads=1 -cp tapgrad-bench.jar dev.tapgrad.bench.GemmCpuBench [--process] [SECONDS] [shape ...]
 * </pre>
 *
 * {@code --process} times the whole process's CPU instead (every thread, a waiting thread's
 * spinning included), for comparing how two builds share a product between threads (e.g.
 * {@code -Dtapgrad.threads=2}) on a loaded machine: GFLOP per CPU-second, which idle waits and
 * duplicated packing lower.
 *
 * Shapes are {@code m x n x k : TT} as in {@link GemmBenchmark}; by default 512³ and the products
 * the issue-17 workloads run (MLP-512, the convolutions as im2col + GEMM, the 10-class heads, the
 * GRU). Each shape is warmed up for 0.6 × SECONDS (default 1) and then timed for SECONDS; the best
 * of repeated batches is printed, one {@code GEMM <shape> <GFLOP/s>} line per shape.
 */
public final class GemmCpuBench {
    /** The default shapes, each workload's largest products. */
    static final String[] SHAPES = {
        "512x512x512:NN", "128x512x784:NN", "784x512x128:TN", "128x784x512:NT",
        "128x512x512:NN", "512x512x128:TN", "128x512x512:NT",
        "3630x64x288:NN", "3630x288x64:NT", "288x64x3630:TN",
        "6912x32x144:NN", "6912x144x32:NT", "144x32x6912:TN",
        "64x10x18432:NN", "18432x10x64:TN", "64x18432x10:NT",
        "16x64x192:NN", "16x192x64:NN", "64x192x1280:TN", "1280x192x32:NN", "1280x32x192:NT",
    };

    private GemmCpuBench() {}

    public static void main(String[] args) {
        int first = 0;
        boolean process = args.length > 0 && args[0].equals("--process");
        if (process) {
            first = 1;
        }
        double seconds = 1;
        if (args.length > first && args[first].matches("[0-9.]+")) {
            seconds = Double.parseDouble(args[first]);
            first++;
        }
        String[] shapes = args.length > first ? java.util.Arrays.copyOfRange(args, first, args.length) : SHAPES;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LongSupplier cpu = process ? os::getProcessCpuTime : threads::getCurrentThreadCpuTime;
        System.out.println("kernel: " + Gemm.kernelName() + (process ? ", process CPU time" : ", thread CPU time"));
        for (String shape : shapes) {
            GemmBenchmark.Shape s = GemmBenchmark.Shape.parse(shape);
            Random r = new Random(1);
            float[] a = GemmBenchmark.random(r, s.m() * s.k());
            float[] b = GemmBenchmark.random(r, s.k() * s.n());
            float[] c = new float[s.m() * s.n()];
            long end = cpu.getAsLong() + (long) (0.6e9 * seconds);
            while (cpu.getAsLong() < end) {
                Gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, b, c, false);
            }
            // Batches of about 2·10^7 multiply-adds, so that the clock's granularity does not matter.
            int reps = Math.max(1, (int) (2e7 / (s.flops() / 2)));
            double best = Double.MAX_VALUE;
            long spent = 0;
            long done = 0;
            end = cpu.getAsLong() + (long) (1e9 * seconds);
            while (cpu.getAsLong() < end) {
                long t0 = cpu.getAsLong();
                for (int i = 0; i < reps; i++) {
                    Gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, b, c, false);
                }
                long t = cpu.getAsLong() - t0;
                best = Math.min(best, t / (double) reps);
                spent += t;
                done += reps;
            }
            // The process clock ticks coarsely and counts the other threads: all batches together.
            if (process) {
                best = spent / (double) done;
            }
            System.out.printf(Locale.ROOT, "GEMM %s %.1f%n", shape, s.flops() / best);
        }
    }
}
