package dev.tapgrad.runtime.layers;

import java.util.Arrays;

/**
 * The buffers of one part of an {@link Lstm}'s batch (examples {@code lo … lo + batch − 1}) and
 * its per-step gate arithmetic: the state of the latest forward call, time-major so that each
 * step's rows are contiguous, and the scratch of backward. The layer runs the GEMMs on these
 * arrays; the parts of a batch share nothing, so they can run on different cores. Everything is
 * reallocated only when the part's size changes.
 */
final class LstmState {
    private final int steps;
    private final int features;
    private final int units;

    int batch = -1;
    /** Index of the part's first example in the whole batch. */
    int lo;
    /** x as (steps, B, features); in backward also dL/dx in that order. */
    float[] xt;
    /** z's input part x_t · kernel + bias, then the activated gates i, f, g, o, (steps, B, 4·units). */
    float[] gates;
    /** h_{t−1} for t = 0 … steps, ((steps + 1), B, units): block 0 is the zero initial state. */
    float[] hs;
    /** c_t and tanh(c_t), (steps, B, units). */
    private float[] cs;
    private float[] tanhCs;
    /** dL/dz of every step, (steps, B, 4·units). */
    float[] dz;
    /** One step's h_{t−1} · recurrent_kernel in forward, its dL/dz in backward, (B, 4·units). */
    float[] step;
    /** h of the latest step, the next recurrent GEMM's input, (B, units). */
    float[] hStep;
    /** dL/dh_t flowing back from step t + 1 (then from out as well), (B, units). */
    float[] dh;
    /** dL/dc_t flowing back from step t + 1, (B, units). */
    private float[] dc;
    /** One example's pre-activations z, (4·units), and cell states c, (units), in double for the exps. */
    private final double[] zScratch;
    private final double[] cScratch;

    LstmState(int steps, int features, int units) {
        this.steps = steps;
        this.features = features;
        this.units = units;
        this.zScratch = new double[4 * units];
        this.cScratch = new double[units];
    }

    /** Takes examples {@code lo … lo + b − 1} of the batch. */
    void ensureBatch(int lo, int b) {
        this.lo = lo;
        if (b == batch) {
            return;
        }
        int g4 = 4 * units;
        xt = new float[steps * b * features];
        gates = new float[steps * b * g4];
        hs = new float[(steps + 1) * b * units];
        cs = new float[steps * b * units];
        tanhCs = new float[steps * b * units];
        dz = new float[steps * b * g4];
        step = new float[b * g4];
        hStep = new float[b * units];
        dh = new float[b * units];
        dc = new float[b * units];
        batch = b;
    }

    /** Copies the part's rows of x (B, steps, features) into {@link #xt} as (steps, part, features). */
    void toTimeMajor(float[] x) {
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, ((lo + n) * steps + t) * features, xt, (t * batch + n) * features, features);
            }
        }
    }

    /** Adds {@link #xt}, read as (steps, part, features), to the part's rows of g (B, steps, features). */
    void addFromTimeMajor(float[] g) {
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < batch; n++) {
                int src = (t * batch + n) * features;
                int dst = ((lo + n) * steps + t) * features;
                for (int f = 0; f < features; f++) {
                    g[dst + f] += xt[src + f];
                }
            }
        }
    }

    /** Writes every h_t to the part's rows of out (B, steps, units), or only the last to out (B, units). */
    void copyOut(float[] out, boolean sequences) {
        int bu = batch * units;
        if (!sequences) {
            System.arraycopy(hs, steps * bu, out, lo * units, bu);
            return;
        }
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < batch; n++) {
                System.arraycopy(hs, (t + 1) * bu + n * units, out, ((lo + n) * steps + t) * units, units);
            }
        }
    }

    /**
     * Step t: z = its input part in {@link #gates} plus, for t > 0, the recurrent part in {@link
     * #step}; leaves the activated gates in {@link #gates}, c_t, tanh(c_t), and h_t in {@link #hs}
     * and {@link #hStep}.
     */
    void cellForward(int t) {
        int g4 = 4 * units;
        int bu = batch * units;
        double[] z = zScratch;
        double[] cd = cScratch;
        // In passes over one example's units, the exps reading doubles: a float-to-double
        // conversion feeding Math.exp directly chains every value's exp to the previous one's
        // (the conversion merges into a register the last exp wrote), which made the cell three
        // times slower. Values and rounding are as in one pass.
        for (int n = 0; n < batch; n++) {
            int gOff = (t * batch + n) * g4;
            int sOff = n * g4;
            int cOff = t * bu + n * units;
            if (t > 0) {
                for (int q = 0; q < g4; q++) {
                    z[q] = (double) gates[gOff + q] + step[sOff + q];
                }
            } else {
                for (int q = 0; q < g4; q++) {
                    z[q] = gates[gOff + q];
                }
            }
            for (int q = 0; q < 2 * units; q++) {
                gates[gOff + q] = (float) sigmoid(z[q]);
            }
            for (int q = 2 * units; q < 3 * units; q++) {
                gates[gOff + q] = (float) tanh(z[q]);
            }
            for (int q = 3 * units; q < g4; q++) {
                gates[gOff + q] = (float) sigmoid(z[q]);
            }
            for (int k = 0; k < units; k++) {
                int gi = gOff + k;
                float i = gates[gi];
                float f = gates[gi + units];
                float g = gates[gi + 2 * units];
                double cPrev = t > 0 ? cs[cOff - bu + k] : 0;
                float c = (float) (f * cPrev + (double) i * g);
                cs[cOff + k] = c;
                cd[k] = c;
            }
            for (int k = 0; k < units; k++) {
                float o = gates[gOff + 3 * units + k];
                float tc = (float) tanh(cd[k]);
                float h = (float) ((double) o * tc);
                tanhCs[cOff + k] = tc;
                hs[cOff + bu + k] = h;
                hStep[n * units + k] = h;
            }
        }
    }

    /** Zeroes the state gradients flowing in from after the last step; call before the first {@link #cellBackward}. */
    void startBackward() {
        Arrays.fill(dh, 0f);
        Arrays.fill(dc, 0f);
    }

    /**
     * dL/dz of step t into {@link #dz} and {@link #step}, from dL/dout at step t ({@code gOut} as
     * (B, steps, units) when {@code sequences}, else (B, units) for the last step) plus {@link #dh}
     * and dL/dc_t from step t + 1; leaves dL/dc_{t−1} for step t − 1.
     */
    void cellBackward(int t, float[] gOut, boolean sequences) {
        int g4 = 4 * units;
        int bu = batch * units;
        for (int n = 0; n < batch; n++) {
            int gOff = (t * batch + n) * g4;
            int sOff = n * g4;
            int cOff = t * bu + n * units;
            for (int k = 0; k < units; k++) {
                int s = n * units + k;
                double dhk = dh[s];
                if (sequences) {
                    dhk += gOut[((lo + n) * steps + t) * units + k];
                } else if (t == steps - 1) {
                    dhk += gOut[lo * units + s];
                }
                int gi = gOff + k;
                double i = gates[gi];
                double f = gates[gi + units];
                double g = gates[gi + 2 * units];
                double o = gates[gi + 3 * units];
                double tc = tanhCs[cOff + k];
                double cPrev = t > 0 ? cs[cOff - bu + k] : 0;
                double dck = dc[s] + dhk * o * (1 - tc * tc);
                dc[s] = (float) (dck * f);
                int si = sOff + k;
                step[si] = (float) (dck * g * i * (1 - i));
                step[si + units] = (float) (dck * cPrev * f * (1 - f));
                step[si + 2 * units] = (float) (dck * i * (1 - g * g));
                step[si + 3 * units] = (float) (dhk * tc * o * (1 - o));
            }
        }
        System.arraycopy(step, 0, dz, t * batch * g4, batch * g4);
    }

    /**
     * tanh through one {@code Math.exp} (a JIT intrinsic), as (1 − e)/(1 + e) with e = exp(−2|x|);
     * {@code Math.tanh} is StrictMath's software routine, several times slower, and tanh runs twice
     * per unit and step. Relative error below 1e-12 (the cancellation in 1 − e is at most
     * 1.1e-16/(2|x|)); below |x| = 1e-4 it is x − x³/3 (the next term is below 2e-17 of x), and
     * above 20 it is ±1 in double.
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a < 1e-4) {
            return x * (1 - x * x / 3); // keeps the sign of −0
        }
        if (a > 20) {
            return Math.copySign(1.0, x);
        }
        double e = Math.exp(-2 * a);
        return Math.copySign((1 - e) / (1 + e), x);
    }

    /**
     * The logistic function. Without a branch on the sign (a coin flip here): for very negative x,
     * exp(−x) overflows to infinity and 1/(1 + ∞) is the right 0.
     */
    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
