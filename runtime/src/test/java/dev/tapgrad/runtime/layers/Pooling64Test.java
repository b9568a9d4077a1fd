package dev.tapgrad.runtime.layers;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.f64.Layers64;
import dev.tapgrad.runtime.f64.T64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The poolings, Reshape and Conv1D against float64 finite differences of their double references
 * in {@link Layers64} ({@link GradCheck}). Inputs are uniform floats, so no max window holds a tie
 * closer than the difference step (ties are PoolingLayersTest's, against PyTorch).
 */
class Pooling64Test {

    @ParameterizedTest
    @CsvSource({
        "true, 5, 7, 2, 3, 2, 2, VALID", "true, 5, 7, 3, 3, 2, 2, SAME", "true, 6, 5, 2, 2, 1, 1, SAME",
        "false, 5, 7, 2, 3, 1, 2, VALID", "false, 5, 7, 3, 2, 2, 3, SAME", "false, 4, 4, 3, 3, 1, 1, SAME"})
    void pool2d(boolean max, int h, int w, int ph, int pw, int sh, int sw, Padding padding) {
        Random random = new Random(31 + h * 7 + ph);
        int c = 3;
        int[] xShape = {2, h, w, c};
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * h * w * c), xShape);
        Pooling2D layer = max ? new MaxPool2D("p", h, w, c, ph, pw, sh, sw, padding)
                : new AvgPool2D("p", h, w, c, ph, pw, sh, sw, padding);
        int[] outShape = layer.outputShape(xShape);
        Tensor out = Tensor.zeros(outShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(xShape);
        if (layer instanceof MaxPool2D m) {
            m.forward(x, out);
            m.backward(x, GradCheck.asTensor(r, outShape), gx);
        } else {
            AvgPool2D a = (AvgPool2D) layer;
            a.forward(x, out);
            a.backward(GradCheck.asTensor(r, outShape), gx);
        }
        GradCheck.check((max ? "max " : "avg ") + padding, new String[] {"x"}, new float[][] {x.buffer()},
                new float[][] {gx.toArray()}, out, r,
                a -> Layers64.pool2d(new T64(a[0], xShape), max, ph, pw, sh, sw, padding == Padding.SAME), random);
    }

    @ParameterizedTest
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void globalPools(boolean max, boolean images) {
        Random random = new Random(max ? 41 : 42);
        int[] xShape = images ? new int[] {3, 4, 5, 2} : new int[] {3, 7, 4};
        GlobalPooling layer = images ? (max ? new GlobalMaxPool2D("g", 4, 5, 2) : new GlobalAvgPool2D("g", 4, 5, 2))
                : (max ? new GlobalMaxPool1D("g", 7, 4) : new GlobalAvgPool1D("g", 7, 4));
        Tensor x = Tensor.wrap(GradCheck.uniform(random, Tensor.zeros(xShape).size()), xShape);
        int[] outShape = layer.outputShape(xShape);
        Tensor out = Tensor.zeros(outShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(xShape);
        layer.forward(x, out);
        layer.backward(x, GradCheck.asTensor(r, outShape), gx);
        GradCheck.check(layer.getClass().getSimpleName(), new String[] {"x"}, new float[][] {x.buffer()},
                new float[][] {gx.toArray()}, out, r, a -> Layers64.globalPool(new T64(a[0], xShape), max), random);
    }

    @ParameterizedTest
    @CsvSource({"3, 2", "4, 1"})
    void reshape(int d1, int d2) {
        Random random = new Random(43 + d1);
        int[] xShape = {2, d1 * d2, 6};
        Reshape layer = new Reshape("r", d1, d2, 3, 2);
        Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * d1 * d2 * 6), xShape);
        int[] outShape = layer.outputShape(xShape);
        Tensor out = Tensor.zeros(outShape);
        double[] r = GradCheck.gaussian(random, out.size());
        Tensor gx = Tensor.zeros(xShape);
        layer.forward(x, out);
        layer.backward(GradCheck.asTensor(r, outShape), gx);
        GradCheck.check("reshape", new String[] {"x"}, new float[][] {x.buffer()}, new float[][] {gx.toArray()}, out, r,
                a -> new T64(a[0], xShape).reshape(outShape), random);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LINEAR", "TANH", "SIGMOID", "GELU", "ELU", "SELU", "SILU", "SOFTPLUS", "LEAKY_RELU"})
    void conv1d(Activation act) {
        for (String config : new String[] {"9 3 1 VALID", "9 2 2 SAME", "6 4 3 SAME", "8 5 2 VALID"}) {
            String[] p = config.split(" ");
            int steps = Integer.parseInt(p[0]);
            int k = Integer.parseInt(p[1]);
            int stride = Integer.parseInt(p[2]);
            Padding padding = Padding.valueOf(p[3]);
            Random random = new Random(50 + act.ordinal() + steps * k);
            int c = 3;
            int f = 4;
            Conv1D conv = new Conv1D("c", steps, c, f, k, stride, padding, act);
            conv.initialize(random);
            float[] b = GradCheck.uniform(random, f);
            System.arraycopy(b, 0, conv.bias().buffer(), 0, f);
            int[] xShape = {2, steps, c};
            Tensor x = Tensor.wrap(GradCheck.uniform(random, 2 * steps * c), xShape);
            int[] outShape = conv.outputShape(xShape);
            Tensor out = Tensor.zeros(outShape);
            double[] r = GradCheck.gaussian(random, out.size());
            Tensor gx = Tensor.zeros(xShape);
            conv.forward(x, out);
            conv.backward(x, out, GradCheck.asTensor(r, outShape), gx);
            float[] gk = conv.parameters().get(0).grad().toArray();
            float[] gb = conv.parameters().get(1).grad().toArray();
            GradCheck.check("conv1d " + act + " " + config, new String[] {"kernel", "bias", "x"},
                    new float[][] {conv.kernel().buffer(), conv.bias().buffer(), x.buffer()},
                    new float[][] {gk, gb, gx.toArray()}, out, r,
                    a -> Layers64.conv1d(new T64(a[2], xShape), new T64(a[0], new int[] {k, c, f}),
                            new T64(a[1], new int[] {f}), stride, padding == Padding.SAME, act), random);
        }
    }
}
