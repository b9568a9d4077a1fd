package dev.tapgrad.bench;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * One 3×3 relu Conv2D layer (valid padding, stride 1) built twice in one JVM, each with a system
 * property set to another value while it is constructed (the layer chooses its kernel path then;
 * {@code tapgrad.conv.winograd}, for example), and timed in alternating blocks of 10 calls: the
 * forward, the backward without dL/dx, and the backward with it. Prints per setting the minimum and
 * the median block of each pass (µs a call) and the GFLOP/s of the minimum, counting 2·B·OH·OW·F·9·C
 * flops a pass (so Winograd's saved multiplications show as a higher rate).
 *
 * <p>Why: on this benchmark's VM a workload's rate moves by tens of percent between neighbouring
 * JVMs (bench/README.md), so two builds or settings compared in separate {@link StepBench} runs
 * often stay inconclusive; two copies of one layer interleaved in one JVM see the same machine.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tapgrad-bench.jar dev.tapgrad.bench.ConvPathAB \
 *     H W C F BATCH PROPERTY VALUE_A VALUE_B
 * e.g. ... ConvPathAB 13 13 32 64 128 tapgrad.conv.winograd true false   (convnet128's conv2)
 * </pre>
 */
public final class ConvPathAB {
    private static final int BLOCKS = 60;
    private static final int CALLS = 10;

    private ConvPathAB() {}

    public static void main(String[] args) {
        if (args.length != 8) {
            System.err.println("usage: ConvPathAB H W C F BATCH PROPERTY VALUE_A VALUE_B");
            System.exit(2);
        }
        int h = Integer.parseInt(args[0]), w = Integer.parseInt(args[1]), c = Integer.parseInt(args[2]);
        int f = Integer.parseInt(args[3]), b = Integer.parseInt(args[4]);
        String property = args[5];
        String[] values = {args[6], args[7]};
        String before = System.getProperty(property);
        Conv2D[] layers = new Conv2D[2];
        for (int k = 0; k < 2; k++) {
            System.setProperty(property, values[k]);
            layers[k] = new Conv2D("conv" + k, h, w, c, f, 3, 3, 1, 1, Padding.VALID, Activation.RELU);
            layers[k].initialize(new Random(2));
        }
        if (before == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, before);
        }
        Random r = new Random(1);
        Tensor x = Tensor.randn(r, b, h, w, c);
        Tensor out = Tensor.zeros(b, h - 2, w - 2, f);
        Tensor gOut = Tensor.randn(r, b, h - 2, w - 2, f);
        Tensor gx = Tensor.zeros(b, h, w, c);
        for (Conv2D layer : layers) {
            for (int i = 0; i < 100; i++) {
                layer.forward(x, out);
                layer.backward(x, out, gOut, gx);
            }
        }
        // [setting][pass][block], µs a call
        double[][][] times = new double[2][3][BLOCKS];
        for (int block = 0; block < BLOCKS; block++) {
            for (int turn = 0; turn < 2; turn++) {
                int k = block % 2 == 0 ? turn : 1 - turn; // each setting goes first every other block
                Conv2D layer = layers[k];
                long t0 = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    layer.forward(x, out);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    layer.backward(x, out, gOut, null);
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    layer.backward(x, out, gOut, gx);
                }
                long t3 = System.nanoTime();
                times[k][0][block] = (t1 - t0) / 1e3 / CALLS;
                times[k][1][block] = (t2 - t1) / 1e3 / CALLS;
                times[k][2][block] = (t3 - t2) / 1e3 / CALLS;
            }
        }
        double flops = 2.0 * b * (h - 2) * (w - 2) * f * 9 * c;
        String[] passes = {"forward", "backward without dL/dx", "backward with dL/dx"};
        int[] multiples = {1, 1, 2};
        for (int k = 0; k < 2; k++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s=%s:", property, values[k]));
            for (int p = 0; p < 3; p++) {
                double[] v = times[k][p].clone();
                Arrays.sort(v);
                line.append(String.format(Locale.ROOT, " %s min %.0f median %.0f us (%.0f GFLOP/s);", passes[p], v[0],
                        v[BLOCKS / 2], multiples[p] * flops / v[0] / 1e3));
            }
            System.out.println(line);
        }
    }
}
