package dev.tapgrad.runtime.f64;

import dev.tapgrad.Activation;

/**
 * The layers' forward passes written again in double with plain loops, from Keras's definitions:
 * Dense, Conv2D (NHWC, kernel (kh, kw, cin, cout), strides, TensorFlow's SAME or VALID padding),
 * Lstm (gate blocks i, f, c, o; sigmoid gates, tanh cell; zero initial state), Flatten, Add,
 * Gru (Keras's reset_after, gate blocks z, r, h), Embedding, Concatenate, MaxPool2D and AvgPool2D (SAME averages the real positions only), the global
 * poolings, Conv1D (kernel (k, C, F)), Dropout with a fixed mask, BatchNorm (training and
 * inference) and LayerNorm on the last axis, and the activations. The references that float64 finite differences differentiate.
 */
public final class Layers64 {
    private Layers64() {}

    /** SELU's constants (Klambauer et al.), as Keras and PyTorch write them. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** An activation over the last axis of {@code z} (softmax) or elementwise (the others). */
    public static T64 activate(T64 z, Activation act) {
        return switch (act) {
            case LINEAR -> z;
            case RELU -> z.map(a -> Math.max(a, 0));
            case SIGMOID -> z.map(Layers64::sigmoid);
            case TANH -> z.map(Math::tanh);
            case SOFTMAX -> Ops64.softmax(z);
            case GELU -> z.map(a -> 0.5 * a * (1 + erf(a / Math.sqrt(2))));
            case ELU -> z.map(a -> a > 0 ? a : Math.exp(a) - 1);
            case SELU -> z.map(a -> SELU_SCALE * (a > 0 ? a : SELU_ALPHA * (Math.exp(a) - 1)));
            case SILU -> z.map(a -> a * sigmoid(a));
            case SOFTPLUS -> z.map(a -> Math.log(1 + Math.exp(a)));
            case LEAKY_RELU -> z.map(a -> a > 0 ? a : 0.2 * a);
        };
    }

    /**
     * The error function to ~1e-14: its Taylor series below 2.5 (terms alternate, at most e^6.25
     * large, so ~3 digits of 16 cancel), the continued fraction of erfc above.
     */
    static double erf(double z) {
        double a = Math.abs(z);
        double e;
        if (a < 2.5) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 80; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            e = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double frac = a;
            for (int k = 80; k >= 1; k--) {
                frac = a + (k / 2.0) / frac;
            }
            e = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / frac;
        }
        return Math.copySign(e, z);
    }

    static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    /** {@code act(x·kernel + bias)} over the last axis of x. */
    public static T64 dense(T64 x, T64 kernel, T64 bias, Activation act) {
        int in = kernel.shape()[0];
        int units = kernel.shape()[1];
        int rows = x.size() / in;
        double[] z = new double[rows * units];
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                double s = bias.v()[u];
                for (int i = 0; i < in; i++) {
                    s += x.v()[r * in + i] * kernel.v()[i * units + u];
                }
                z[r * units + u] = s;
            }
        }
        int[] shape = x.shape().clone();
        shape[shape.length - 1] = units;
        return activate(new T64(z, shape), act);
    }

    /** Keras's Conv2D: cross-correlation of (B, H, W, C) with (kh, kw, C, F), then bias and activation. */
    public static T64 conv2d(T64 x, T64 kernel, T64 bias, int strideH, int strideW, boolean same, Activation act) {
        int b = x.shape()[0];
        int h = x.shape()[1];
        int w = x.shape()[2];
        int c = x.shape()[3];
        int kh = kernel.shape()[0];
        int kw = kernel.shape()[1];
        int f = kernel.shape()[3];
        int oh = same ? (h + strideH - 1) / strideH : (h - kh) / strideH + 1;
        int ow = same ? (w + strideW - 1) / strideW : (w - kw) / strideW + 1;
        int top = same ? Math.max((oh - 1) * strideH + kh - h, 0) / 2 : 0;
        int left = same ? Math.max((ow - 1) * strideW + kw - w, 0) / 2 : 0;
        double[] z = new double[b * oh * ow * f];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < f; o++) {
                        double s = bias.v()[o];
                        for (int p = 0; p < kh; p++) {
                            int y = i * strideH + p - top;
                            for (int q = 0; q < kw; q++) {
                                int xx = j * strideW + q - left;
                                if (y < 0 || y >= h || xx < 0 || xx >= w) {
                                    continue; // zero padding
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    s += x.v()[((n * h + y) * w + xx) * c + ch] * kernel.v()[((p * kw + q) * c + ch) * f + o];
                                }
                            }
                        }
                        z[((n * oh + i) * ow + j) * f + o] = s;
                    }
                }
            }
        }
        return activate(new T64(z, new int[] {b, oh, ow, f}), act);
    }

    /**
     * Keras's LSTM on (B, T, F): gates {@code [i f c o] = x_t·kernel + h·recurrent + bias},
     * {@code c = σ(f)·c + σ(i)·tanh(c̃)}, {@code h = σ(o)·tanh(c)}; every h (B, T, U) or the last (B, U).
     */
    public static T64 lstm(T64 x, T64 kernel, T64 recurrent, T64 bias, boolean returnSequences) {
        int b = x.shape()[0];
        int steps = x.shape()[1];
        int features = x.shape()[2];
        int u = recurrent.shape()[0];
        double[] seq = new double[b * steps * u];
        double[] last = new double[b * u];
        for (int n = 0; n < b; n++) {
            double[] h = new double[u];
            double[] cell = new double[u];
            for (int t = 0; t < steps; t++) {
                double[] gates = new double[4 * u];
                for (int g = 0; g < 4 * u; g++) {
                    double s = bias.v()[g];
                    for (int k = 0; k < features; k++) {
                        s += x.v()[(n * steps + t) * features + k] * kernel.v()[k * 4 * u + g];
                    }
                    for (int k = 0; k < u; k++) {
                        s += h[k] * recurrent.v()[k * 4 * u + g];
                    }
                    gates[g] = s;
                }
                for (int k = 0; k < u; k++) {
                    cell[k] = sigmoid(gates[u + k]) * cell[k] + sigmoid(gates[k]) * Math.tanh(gates[2 * u + k]);
                    h[k] = sigmoid(gates[3 * u + k]) * Math.tanh(cell[k]);
                    seq[(n * steps + t) * u + k] = h[k];
                }
            }
            System.arraycopy(h, 0, last, n * u, u);
        }
        return returnSequences ? new T64(seq, new int[] {b, steps, u}) : new T64(last, new int[] {b, u});
    }

    /**
     * Keras's GRU with reset_after on (B, T, F): with {@code xp = x_t·kernel + bias[0]} and {@code
     * hp = h·recurrent + bias[1]} in blocks z, r, h: {@code z = σ(xp_z + hp_z)}, {@code r = σ(xp_r +
     * hp_r)}, {@code h̃ = tanh(xp_h + r·hp_h)}, {@code h = z·h + (1 − z)·h̃}; every h (B, T, U) or the
     * last (B, U).
     */
    public static T64 gru(T64 x, T64 kernel, T64 recurrent, T64 bias, boolean returnSequences) {
        int b = x.shape()[0];
        int steps = x.shape()[1];
        int features = x.shape()[2];
        int u = recurrent.shape()[0];
        double[] seq = new double[b * steps * u];
        double[] last = new double[b * u];
        for (int n = 0; n < b; n++) {
            double[] h = new double[u];
            for (int t = 0; t < steps; t++) {
                double[] xp = new double[3 * u];
                double[] hp = new double[3 * u];
                for (int g = 0; g < 3 * u; g++) {
                    double sx = bias.v()[g];
                    for (int k = 0; k < features; k++) {
                        sx += x.v()[(n * steps + t) * features + k] * kernel.v()[k * 3 * u + g];
                    }
                    double sh = bias.v()[3 * u + g];
                    for (int k = 0; k < u; k++) {
                        sh += h[k] * recurrent.v()[k * 3 * u + g];
                    }
                    xp[g] = sx;
                    hp[g] = sh;
                }
                for (int k = 0; k < u; k++) {
                    double z = sigmoid(xp[k] + hp[k]);
                    double r = sigmoid(xp[u + k] + hp[u + k]);
                    double hh = Math.tanh(xp[2 * u + k] + r * hp[2 * u + k]);
                    h[k] = z * h[k] + (1 - z) * hh;
                    seq[(n * steps + t) * u + k] = h[k];
                }
            }
            System.arraycopy(h, 0, last, n * u, u);
        }
        return returnSequences ? new T64(seq, new int[] {b, steps, u}) : new T64(last, new int[] {b, u});
    }

    /** Keras's Embedding: row {@code ids[i]} of {@code embeddings} (V, U) for every id; (..., U). */
    public static T64 embedding(double[] ids, int[] idShape, T64 embeddings) {
        int u = embeddings.shape()[1];
        double[] out = new double[ids.length * u];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(embeddings.v(), (int) ids[i] * u, out, i * u, u);
        }
        int[] shape = java.util.Arrays.copyOf(idShape, idShape.length + 1);
        shape[idShape.length] = u;
        return new T64(out, shape);
    }

    /** (B, ...) to (B, rest). */
    public static T64 flatten(T64 x) {
        return x.reshape(x.shape()[0], -1);
    }

    /** Elementwise sum of same-shaped inputs. */
    public static T64 add(T64 a, T64 b) {
        return Ops64.add(a, b);
    }

    /** Joined along the last axis. */
    public static T64 concatenate(T64 a, T64 b) {
        int na = a.shape()[a.rank() - 1];
        int nb = b.shape()[b.rank() - 1];
        int rows = a.size() / na;
        double[] o = new double[rows * (na + nb)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a.v(), r * na, o, r * (na + nb), na);
            System.arraycopy(b.v(), r * nb, o, r * (na + nb) + na, nb);
        }
        int[] s = a.shape().clone();
        s[s.length - 1] = na + nb;
        return new T64(o, s);
    }

    /**
     * Keras's MaxPooling2D ({@code max}) or AveragePooling2D on (B, H, W, C): TensorFlow's SAME
     * windows, padded positions left out of the max and of the average's count.
     */
    public static T64 pool2d(T64 x, boolean max, int ph, int pw, int sh, int sw, boolean same) {
        int b = x.shape()[0];
        int h = x.shape()[1];
        int w = x.shape()[2];
        int c = x.shape()[3];
        int oh = same ? (h + sh - 1) / sh : (h - ph) / sh + 1;
        int ow = same ? (w + sw - 1) / sw : (w - pw) / sw + 1;
        int top = same ? Math.max((oh - 1) * sh + ph - h, 0) / 2 : 0;
        int left = same ? Math.max((ow - 1) * sw + pw - w, 0) / 2 : 0;
        double[] o = new double[b * oh * ow * c];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int p = 0; p < ph; p++) {
                            for (int q = 0; q < pw; q++) {
                                int y = i * sh + p - top;
                                int xx = j * sw + q - left;
                                if (y < 0 || y >= h || xx < 0 || xx >= w) {
                                    continue;
                                }
                                double v = x.v()[((n * h + y) * w + xx) * c + ch];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        o[((n * oh + i) * ow + j) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }
        return new T64(o, new int[] {b, oh, ow, c});
    }

    /** GlobalMaxPooling / GlobalAveragePooling (1D or 2D): (B, positions..., C) to (B, C). */
    public static T64 globalPool(T64 x, boolean max) {
        int b = x.shape()[0];
        int c = x.shape()[x.rank() - 1];
        int positions = x.size() / b / c;
        double[] o = new double[b * c];
        for (int n = 0; n < b; n++) {
            for (int ch = 0; ch < c; ch++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                for (int p = 0; p < positions; p++) {
                    double v = x.v()[(n * positions + p) * c + ch];
                    acc = max ? Math.max(acc, v) : acc + v;
                }
                o[n * c + ch] = max ? acc : acc / positions;
            }
        }
        return new T64(o, new int[] {b, c});
    }

    /** Keras's Conv1D: cross-correlation of (B, steps, C) with (k, C, F), then bias and activation. */
    public static T64 conv1d(T64 x, T64 kernel, T64 bias, int stride, boolean same, Activation act) {
        int b = x.shape()[0];
        int steps = x.shape()[1];
        int c = x.shape()[2];
        T64 images = new T64(x.v(), new int[] {b, 1, steps, c});
        T64 k2 = new T64(kernel.v(), new int[] {1, kernel.shape()[0], c, kernel.shape()[2]});
        T64 out = conv2d(images, k2, bias, 1, stride, same, act);
        return new T64(out.v(), new int[] {b, out.shape()[2], out.shape()[3]});
    }

    // ---- Dropout, BatchNorm, LayerNorm ------------------------------------------------------

    /** Dropout with a fixed mask (0 or 1 / (1 - rate) per value): x · mask. */
    public static T64 dropout(T64 x, double[] mask) {
        double[] o = new double[x.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = x.v()[i] * mask[i];
        }
        return new T64(o, x.shape());
    }

    /**
     * Keras's BatchNormalization on the last axis while training: each feature normalised with the
     * batch's mean and biased variance over every other axis, then gamma · x̂ + beta.
     */
    public static T64 batchNorm(T64 x, T64 gamma, T64 beta, double epsilon) {
        int c = x.shape()[x.rank() - 1];
        int n = x.size() / c;
        double[] mean = new double[c];
        double[] variance = new double[c];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                mean[j] += x.v()[r * c + j] / n;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                double d = x.v()[r * c + j] - mean[j];
                variance[j] += d * d / n;
            }
        }
        return normalized(x, gamma, beta, mean, variance, epsilon);
    }

    /** BatchNormalization in inference: the given (moving) mean and variance. */
    public static T64 batchNormInference(T64 x, T64 gamma, T64 beta, double[] mean, double[] variance, double epsilon) {
        return normalized(x, gamma, beta, mean, variance, epsilon);
    }

    /** Keras's LayerNormalization on the last axis: each row with its own mean and biased variance. */
    public static T64 layerNorm(T64 x, T64 gamma, T64 beta, double epsilon) {
        int c = x.shape()[x.rank() - 1];
        int n = x.size() / c;
        double[] o = new double[x.size()];
        for (int r = 0; r < n; r++) {
            double mean = 0;
            for (int j = 0; j < c; j++) {
                mean += x.v()[r * c + j] / c;
            }
            double variance = 0;
            for (int j = 0; j < c; j++) {
                double d = x.v()[r * c + j] - mean;
                variance += d * d / c;
            }
            for (int j = 0; j < c; j++) {
                o[r * c + j] = gamma.v()[j] * (x.v()[r * c + j] - mean) / Math.sqrt(variance + epsilon) + beta.v()[j];
            }
        }
        return new T64(o, x.shape());
    }

    private static T64 normalized(T64 x, T64 gamma, T64 beta, double[] mean, double[] variance, double epsilon) {
        int c = mean.length;
        double[] o = new double[x.size()];
        for (int i = 0; i < o.length; i++) {
            int j = i % c;
            o[i] = gamma.v()[j] * (x.v()[i] - mean[j]) / Math.sqrt(variance[j] + epsilon) + beta.v()[j];
        }
        return new T64(o, x.shape());
    }
}
