package dev.tapgrad.runtime.train;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.train.CompiledGraph;
import dev.tapgrad.runtime.internal.MainLoss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written stand-in for a generated graph: one dense layer {@code z = x·W + b} (x flattened
 * from any input shape), identity output with MSE or softmax with cross-entropy, and an optional
 * auxiliary term {@code l2 = Σ W²}. Its gradients are derived by hand, and it records what the
 * trainer did to it.
 */
class TestGraph implements CompiledGraph {
    final String name;
    final int[] inputShape;
    final int features;
    final int units;
    final LossKind kind;
    final List<Metric> metrics;
    final double l2Weight;
    final Parameter kernel;
    final Parameter bias;

    final TrainingState training = new TrainingState();
    int trainCalls;
    int nanAtCall = -1;
    List<float[]> weightsAtLastCall = List.of();
    private final Map<Integer, Tensor[]> buffers = new HashMap<>();

    TestGraph(String name, int[] inputShape, int units, LossKind kind, double l2Weight, Metric... metrics) {
        this.name = name;
        this.inputShape = inputShape.clone();
        int f = 1;
        for (int d : inputShape) {
            f *= d;
        }
        this.features = f;
        this.units = units;
        this.kind = kind;
        this.metrics = List.of(metrics);
        this.l2Weight = l2Weight;
        this.kernel = new Parameter("dense.kernel", Tensor.zeros(features, units));
        this.bias = new Parameter("dense.bias", Tensor.zeros(units));
    }

    static TestGraph regression(int features, double l2Weight) {
        return new TestGraph("LinearModel", new int[] {features}, 1, LossKind.MSE, l2Weight);
    }

    @Override public String modelName() { return name; }
    @Override public int[] inputShape() { return inputShape.clone(); }
    @Override public int[] outputShape() { return new int[] {units}; }
    @Override public LossKind lossKind() { return kind; }
    @Override public List<Metric> metrics() { return metrics; }

    @Override
    public List<String> termNames() {
        String main = kind == LossKind.MSE ? "mse" : "categorical_crossentropy";
        return l2Weight != 0 ? List.of(main, "l2") : List.of(main);
    }

    @Override
    public double[] termWeights() {
        return l2Weight != 0 ? new double[] {1, l2Weight} : new double[] {1};
    }

    @Override
    public TrainingState trainingState() {
        return training;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, bias);
    }

    /** Buffers per batch size, as generated code keeps them: z, predictions, dLoss/dpred. */
    private Tensor[] buffers(int b) {
        return buffers.computeIfAbsent(b, k -> new Tensor[] {Tensor.zeros(k, units), Tensor.zeros(k, units), Tensor.zeros(k, units)});
    }

    private Tensor forward(Tensor x) {
        int b = x.dim(0);
        Tensor[] buf = buffers(b);
        float[] xs = x.buffer();
        float[] w = kernel.value().buffer();
        float[] bs = bias.value().buffer();
        float[] z = buf[0].buffer();
        for (int i = 0; i < b; i++) {
            for (int u = 0; u < units; u++) {
                double s = bs[u];
                for (int f = 0; f < features; f++) {
                    s += xs[i * features + f] * w[f * units + u];
                }
                z[i * units + u] = (float) s;
            }
        }
        float[] p = buf[1].buffer();
        if (kind == LossKind.MSE) {
            System.arraycopy(z, 0, p, 0, z.length);
        } else {
            for (int i = 0; i < b; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < units; u++) {
                    max = Math.max(max, z[i * units + u]);
                }
                double sum = 0;
                for (int u = 0; u < units; u++) {
                    sum += Math.exp(z[i * units + u] - max);
                }
                for (int u = 0; u < units; u++) {
                    p[i * units + u] = (float) (Math.exp(z[i * units + u] - max) / sum);
                }
            }
        }
        return buf[1];
    }

    private void terms(Tensor y, Tensor pred, Tensor grad, double[] terms) {
        terms[0] = MainLoss.valueAndGradient(kind, y, pred, grad, 1);
        if (l2Weight != 0) {
            double s = 0;
            for (float v : kernel.value().buffer()) {
                s += (double) v * v;
            }
            terms[1] = s;
        }
    }

    @Override
    public Tensor trainStep(Tensor x, Tensor y, double[] terms) {
        trainCalls++;
        List<float[]> snapshot = new ArrayList<>();
        for (Parameter p : parameters()) {
            snapshot.add(p.value().toArray());
        }
        weightsAtLastCall = snapshot;
        Tensor pred = forward(x);
        Tensor[] buf = buffers(x.dim(0));
        terms(y, pred, buf[2], terms);
        if (trainCalls == nanAtCall) {
            terms[0] = Double.NaN;
        }
        int b = x.dim(0);
        float[] dz = buf[2].buffer().clone();
        if (kind == LossKind.CATEGORICAL_CROSSENTROPY) {
            float[] p = pred.buffer();
            float[] dp = buf[2].buffer();
            for (int i = 0; i < b; i++) {
                double dot = 0;
                for (int u = 0; u < units; u++) {
                    dot += dp[i * units + u] * p[i * units + u];
                }
                for (int u = 0; u < units; u++) {
                    dz[i * units + u] = (float) (p[i * units + u] * (dp[i * units + u] - dot));
                }
            }
        }
        float[] xs = x.buffer();
        float[] w = kernel.value().buffer();
        float[] gw = kernel.grad().buffer();
        float[] gb = bias.grad().buffer();
        for (int f = 0; f < features; f++) {
            for (int u = 0; u < units; u++) {
                double s = 2 * l2Weight * w[f * units + u];
                for (int i = 0; i < b; i++) {
                    s += xs[i * features + f] * dz[i * units + u];
                }
                gw[f * units + u] = (float) s;
            }
        }
        for (int u = 0; u < units; u++) {
            double s = 0;
            for (int i = 0; i < b; i++) {
                s += dz[i * units + u];
            }
            gb[u] = (float) s;
        }
        return pred;
    }

    @Override
    public Tensor evaluateStep(Tensor x, Tensor y, double[] terms) {
        Tensor pred = forward(x);
        terms(y, pred, null, terms);
        return pred;
    }

    @Override
    public Tensor predictStep(Tensor x) {
        return forward(x);
    }
}
