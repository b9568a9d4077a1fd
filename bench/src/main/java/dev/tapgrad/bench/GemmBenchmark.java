package dev.tapgrad.bench;

import dev.tapgrad.runtime.kernel.gemm.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Gemm#gemm} on the square reference size and on the shapes the workloads run, as
 * {@code m x n x k : transA transB} (N or T). {@link KernelBench} turns the times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    /** The shapes: the n = 512, then each workload's products (see bench/README.md). */
    public static final String[] SHAPES = {
        "512x512x512:NN", "256x256x256:NN", "1024x1024x1024:NN",
        "128x512x784:NN", "784x512x128:TN", "128x784x512:NT", // MLP 784-512: forward, dW, (dx)
        "128x512x512:NN", "512x512x128:TN", "128x512x512:NT", // MLP 512-512
        "4056x32x9:NN", "9x32x4056:TN",                       // conv as im2col + GEMM, one chunk
        "128x10x21632:NN", "21632x10x128:TN",                 // CNN head, batch 128
        "32x256x64:NN", "32x64x256:NT", "64x256x3200:TN",     // LSTM: one step, dh, dW_rec
    };

    @Param({
        "512x512x512:NN", "256x256x256:NN", "1024x1024x1024:NN",
        "128x512x784:NN", "784x512x128:TN", "128x784x512:NT",
        "128x512x512:NN", "512x512x128:TN", "128x512x512:NT",
        "4056x32x9:NN", "9x32x4056:TN",
        "128x10x21632:NN", "21632x10x128:TN",
        "32x256x64:NN", "32x64x256:NT", "64x256x3200:TN",
    })
    public String shape;

    int m;
    int n;
    int k;
    boolean transA;
    boolean transB;
    float[] a;
    float[] b;
    float[] c;

    @Setup
    public void setup() {
        Shape s = Shape.parse(shape);
        m = s.m;
        n = s.n;
        k = s.k;
        transA = s.transA;
        transB = s.transB;
        Random r = new Random(1);
        a = random(r, m * k);
        b = random(r, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] gemm() {
        Gemm.gemm(transA, transB, m, n, k, a, b, c, false);
        return c;
    }

    static float[] random(Random r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextFloat() - 0.5f;
        }
        return v;
    }

    /** A parsed {@code m x n x k : TT} shape. */
    record Shape(int m, int n, int k, boolean transA, boolean transB) {
        static Shape parse(String s) {
            String[] parts = s.split(":");
            String[] dims = parts[0].split("x");
            return new Shape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                    parts[1].charAt(0) == 'T', parts[1].charAt(1) == 'T');
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }
}
