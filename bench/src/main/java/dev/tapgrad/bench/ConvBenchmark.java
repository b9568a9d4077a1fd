package dev.tapgrad.bench;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
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
 * The CNN workload's Conv2D layer (28×28×1 → 26×26×32, 3×3, relu): forward, and forward + backward
 * (kernel and bias gradients; the first layer needs no input gradient). {@link KernelBench} turns
 * the times into GFLOP/s with 2·B·26·26·32·9 flops per pass (the multiply-adds of the convolution,
 * so im2col, bias and relu count as overhead). With {@code --add-modules jdk.incubator.vector} the
 * layer runs the direct kernel's Vector API passes; {@code -Dtapgrad.vector.conv=false} on the
 * java command (JMH's fork inherits it) times its scalar loops instead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConvBenchmark {
    @Param({"32", "128"})
    public int batch;

    Conv2D conv;
    Tensor x;
    Tensor out;
    Tensor gOut;

    @Setup
    public void setup() {
        conv = new Conv2D("conv", 28, 28, 1, 32, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
        Random r = new Random(1);
        conv.initialize(r);
        x = Tensor.randn(r, batch, 28, 28, 1);
        out = Tensor.zeros(batch, 26, 26, 32);
        gOut = Tensor.randn(r, batch, 26, 26, 32);
    }

    @Benchmark
    public Tensor forward() {
        conv.forward(x, out);
        return out;
    }

    @Benchmark
    public Tensor forwardBackward() {
        conv.forward(x, out);
        conv.backward(x, out, gOut, null);
        return gOut;
    }

    static double flopsPerPass(int batch) {
        return 2.0 * batch * 26 * 26 * 32 * 9;
    }
}
