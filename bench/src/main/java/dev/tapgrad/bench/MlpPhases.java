package dev.tapgrad.bench;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.gemm.Gemm;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Updater;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where mlp128's step can go at best: its eight products (784 → 512 → 512 → 10, batch 128) in the
 * order a training step runs them, each timed on the wall clock, with Adam's update of the three
 * weight matrices between steps (the optimizer's own updater, {@link Adam#start}, sharing its spans
 * between the threads as in training, over the weights, the products' own gradients and two moment
 * arrays, so the memory it sweeps is the step's). Nothing else of the step runs (no activations,
 * loss, bias or finiteness passes), so the
 * step time printed is a floor for mlp128 on this machine and thread count, and the run without
 * Adam ({@code --no-adam}) shows how much the update's sweep slows the products that follow it by
 * evicting their operands.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dtapgrad.threads=2 -cp tapgrad-bench.jar dev.tapgrad.bench.MlpPhases [--no-adam] [SECONDS]
 * </pre>
 *
 * Prints one line: ms per step and per phase (the mean over {@code SECONDS}, default 4, after as
 * long a warm-up) and the samples per second the step time allows.
 */
public final class MlpPhases {
    private static final int BATCH = 128;
    private static final String[] PHASES = {
        "fwd1", "fwd2", "fwd3", "dW3", "dX3", "dW2", "dX2", "dW1", "adam",
    };

    private MlpPhases() {}

    public static void main(String[] args) {
        boolean adam = true;
        double seconds = 4;
        for (String a : args) {
            if (a.equals("--no-adam")) {
                adam = false;
            } else {
                seconds = Double.parseDouble(a);
            }
        }
        Random random = new Random(1);
        float[] x = values(random, BATCH * 784);
        float[] h1 = values(random, BATCH * 512);
        float[] h2 = values(random, BATCH * 512);
        float[] out = values(random, BATCH * 10);
        float[] dOut = values(random, BATCH * 10);
        float[] dH2 = values(random, BATCH * 512);
        float[] dH1 = values(random, BATCH * 512);
        List<Parameter> params = List.of(parameter(random, "w1", 784, 512), parameter(random, "w2", 512, 512),
                parameter(random, "w3", 512, 10));
        float[][] w = new float[3][];
        float[][] dw = new float[3][];
        for (int p = 0; p < 3; p++) {
            w[p] = params.get(p).value().buffer();
            dw[p] = params.get(p).grad().buffer();
        }
        Updater update = Adam.lr(1e-6).start(params);

        long[] nanos = new long[PHASES.length];
        long[] at = new long[PHASES.length + 1];
        long steps = 0;
        long warmUntil = System.nanoTime() + (long) (seconds * 1e9);
        long stop = Long.MAX_VALUE;
        long start = 0;
        while (true) {
            at[0] = System.nanoTime();
            // Forward: h1 = x·W1, h2 = h1·W2, out = h2·W3.
            Gemm.gemm(false, false, BATCH, 512, 784, x, w[0], h1, false);
            at[1] = System.nanoTime();
            Gemm.gemm(false, false, BATCH, 512, 512, h1, w[1], h2, false);
            at[2] = System.nanoTime();
            Gemm.gemm(false, false, BATCH, 10, 512, h2, w[2], out, false);
            at[3] = System.nanoTime();
            // Backward: each layer's weight gradient, then its input gradient (none for the first layer).
            Gemm.gemm(true, false, 512, 10, BATCH, h2, dOut, dw[2], false);
            at[4] = System.nanoTime();
            Gemm.gemm(false, true, BATCH, 512, 10, dOut, w[2], dH2, false);
            at[5] = System.nanoTime();
            Gemm.gemm(true, false, 512, 512, BATCH, h1, dH2, dw[1], false);
            at[6] = System.nanoTime();
            Gemm.gemm(false, true, BATCH, 512, 512, dH2, w[1], dH1, false);
            at[7] = System.nanoTime();
            Gemm.gemm(true, false, 784, 512, BATCH, x, dH1, dw[0], false);
            at[8] = System.nanoTime();
            if (adam) {
                update.step();
            }
            at[9] = System.nanoTime();
            if (start != 0) {
                for (int i = 0; i < PHASES.length; i++) {
                    nanos[i] += at[i + 1] - at[i];
                }
                steps++;
            }
            if (start == 0 && at[9] > warmUntil) {
                start = System.nanoTime();
                stop = start + (long) (seconds * 1e9);
            } else if (at[9] > stop) {
                break;
            }
        }
        double stepMs = (System.nanoTime() - start) / 1e6 / steps;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "MLP_PHASES threads=%s adam=%s step %.3f ms (%.0f samples/s):",
                System.getProperty("tapgrad.threads", "default"), adam, stepMs, BATCH * 1e3 / stepMs));
        for (int i = 0; i < PHASES.length; i++) {
            line.append(String.format(Locale.ROOT, " %s %.3f", PHASES[i], nanos[i] / 1e6 / steps));
        }
        System.out.println(line);
    }

    private static Parameter parameter(Random random, String name, int rows, int columns) {
        return new Parameter(name, Tensor.of(values(random, rows * columns), rows, columns));
    }

    private static float[] values(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian() * 0.05f;
        }
        return a;
    }
}
