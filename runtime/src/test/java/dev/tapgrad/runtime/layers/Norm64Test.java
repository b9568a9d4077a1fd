package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dropout (training, with the mask its mode draws), BatchNorm (training and inference) and
 * LayerNorm against float64 finite differences of their double references in {@link Layers64}
 * ({@link GradCheck}): dL/dx, dL/dgamma and dL/dbeta, the batch statistics' share included.
 */
class Norm64Test {

    @ParameterizedTest
    @CsvSource({"true, 4", "true, 3", "false, 4", "false, 2"})
    void batchNorm(boolean training, int rank) {
        Random random = new Random(61 + rank + (training ? 10 : 0));
        int[] xShape = rank == 4 ? new int[] {2, 3, 4, 5} : rank == 3 ? new int[] {3, 4, 5} : new int[] {6, 5};
        int c = 5;
        Mode mode = new Mode(1);
        if (training) {
            mode.differentiating();
        }
        BatchNorm bn = new BatchNorm("bn", c, 0.9, 1e-3);
        bn.useMode(mode, 0);
        float[] gamma = shifted(GradCheck.uniform(random, c), 1);
        float[] beta = GradCheck.uniform(random, c);
        float[] mean = GradCheck.uniform(random, c);
        float[] variance = shifted(GradCheck.uniform(random, c), 1.5f);
        System.arraycopy(gamma, 0, bn.parameters().get(0).value().buffer(), 0, c);
        System.arraycopy(beta, 0, bn.parameters().get(1).value().buffer(), 0, c);
        System.arraycopy(mean, 0, bn.state().get(0).value().buffer(), 0, c);
        System.arraycopy(variance, 0, bn.state().get(1).value().buffer(), 0, c);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, Tensor.zeros(xShape).size()), xShape);
        Tensor out = Tensor.zeros(xShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(xShape);
        bn.forward(x, out);
        bn.backward(x, GradCheck.asTensor(r, xShape), gx);
        double[] m = widen(mean);
        double[] v = widen(variance);
        GradCheck.check("batchNorm " + (training ? "training" : "inference") + " rank " + rank,
                new String[] {"gamma", "beta", "x"}, new float[][] {gamma, beta, x.buffer()},
                new float[][] {bn.parameters().get(0).grad().toArray(), bn.parameters().get(1).grad().toArray(), gx.toArray()},
                out, r, a -> {
                    T64 g = new T64(a[0], new int[] {c});
                    T64 b = new T64(a[1], new int[] {c});
                    T64 in = new T64(a[2], xShape);
                    return training ? Layers64.batchNorm(in, g, b, 1e-3) : Layers64.batchNormInference(in, g, b, m, v, 1e-3);
                }, random);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void layerNorm(int rank) {
        Random random = new Random(71 + rank);
        int[] xShape = rank == 3 ? new int[] {2, 3, 6} : new int[] {4, 7};
        int c = xShape[rank - 1];
        LayerNorm ln = new LayerNorm("ln", c, 1e-3);
        float[] gamma = shifted(GradCheck.uniform(random, c), 1);
        float[] beta = GradCheck.uniform(random, c);
        System.arraycopy(gamma, 0, ln.parameters().get(0).value().buffer(), 0, c);
        System.arraycopy(beta, 0, ln.parameters().get(1).value().buffer(), 0, c);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, Tensor.zeros(xShape).size()), xShape);
        Tensor out = Tensor.zeros(xShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(xShape);
        ln.forward(x, out);
        ln.backward(x, GradCheck.asTensor(r, xShape), gx);
        GradCheck.check("layerNorm rank " + rank, new String[] {"gamma", "beta", "x"},
                new float[][] {gamma, beta, x.buffer()},
                new float[][] {ln.parameters().get(0).grad().toArray(), ln.parameters().get(1).grad().toArray(), gx.toArray()},
                out, r, a -> Layers64.layerNorm(new T64(a[2], xShape), new T64(a[0], new int[] {c}),
                        new T64(a[1], new int[] {c}), 1e-3), random);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.5, 0.8})
    void dropoutInTraining(double rate) {
        Random random = new Random(81);
        int[] xShape = {4, 3, 5};
        Mode mode = new Mode(7);
        mode.fitting();
        Dropout drop = new Dropout("drop", rate);
        drop.useMode(mode, 2);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 60), xShape);
        Tensor out = Tensor.zeros(xShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(xShape);
        drop.forward(x, out);
        drop.backward(GradCheck.asTensor(r, xShape), gx);
        double[] mask = new double[60];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mode.uniform(2, i) >= rate ? (float) (1 / (1 - rate)) : 0;
        }
        GradCheck.check("dropout " + rate, new String[] {"x"}, new float[][] {x.buffer()}, new float[][] {gx.toArray()},
                out, r, a -> Layers64.dropout(new T64(a[0], xShape), mask), random);
    }

    private static float[] shifted(float[] v, float by) {
        for (int i = 0; i < v.length; i++) {
            v[i] += by;
        }
        return v;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
