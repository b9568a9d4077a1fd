package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.math.ElementMath;
import java.util.Arrays;

/**
 * The buffers of one part of an {@link Lstm}'s batch (examples {@code lo … lo + batch − 1}) and
 * its per-step gate arithmetic: the state of the latest forward call, time-major so that each
 * step's rows are contiguous, and the scratch of backward. The layer runs the GEMMs on these
 * arrays; the parts of a batch share nothing, so they can run on different cores. Everything is
 * reallocated only when the part's size changes.
 */
final class LstmState extends RecurrentState {
    /** z's input part x_t · kernel + bias, then the activated gates i, f, g, o, (steps, B, 4·units). */
    float[] gates;
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
    /** c_{−1}: the zero state step 0 starts from, (units). */
    private final float[] zeroState;

    LstmState(int steps, int features, int units) {
        super(steps, features, units);
        this.zeroState = new float[units];
    }

    @Override
    void allocate(int b) {
        int g4 = 4 * units;
        gates = new float[steps * b * g4];
        cs = new float[steps * b * units];
        tanhCs = new float[steps * b * units];
        dz = new float[steps * b * g4];
        step = new float[b * g4];
        hStep = new float[b * units];
        dh = new float[b * units];
        dc = new float[b * units];
    }

    /**
     * Step t: z = its input part in {@link #gates} plus, for t > 0, the recurrent part in {@link
     * #step}; leaves the activated gates in {@link #gates}, c_t, tanh(c_t), and h_t in {@link #hs}
     * and {@link #hStep}.
     */
    void cellForward(int t) {
        int g4 = 4 * units;
        int bu = batch * units;
        for (int n = 0; n < batch; n++) {
            int gOff = (t * batch + n) * g4;
            int sOff = n * g4;
            int cOff = t * bu + n * units;
            if (t > 0) {
                for (int q = 0; q < g4; q++) {
                    gates[gOff + q] += step[sOff + q];
                }
            }
            // The gates' exps and tanhs a run at a time (vectorised where the Vector API is on).
            ElementMath.sigmoid(gates, gOff, 2 * units);
            ElementMath.tanh(gates, gOff + 2 * units, units);
            ElementMath.sigmoid(gates, gOff + 3 * units, units);
            for (int k = 0; k < units; k++) {
                int gi = gOff + k;
                float i = gates[gi];
                float f = gates[gi + units];
                float g = gates[gi + 2 * units];
                double cPrev = t > 0 ? cs[cOff - bu + k] : 0;
                float c = (float) (f * cPrev + (double) i * g);
                cs[cOff + k] = c;
                tanhCs[cOff + k] = c;
            }
            ElementMath.tanh(tanhCs, cOff, units);
            for (int k = 0; k < units; k++) {
                float o = gates[gOff + 3 * units + k];
                float h = (float) ((double) o * tanhCs[cOff + k]);
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
        // Float arithmetic in straight loops without branches, which the JIT vectorises (in double,
        // with the branches on t inside, this was an eighth of an LSTM step); the gate values are
        // floats already, so the products differ from double ones by float rounding only.
        float[] prev = t > 0 ? cs : zeroState;
        for (int n = 0; n < batch; n++) {
            int gOff = (t * batch + n) * g4;
            int sOff = n * g4;
            int cOff = t * bu + n * units;
            int pOff = t > 0 ? cOff - bu : 0;
            int dOff = n * units;
            // dL/dh_t: what flows back from step t + 1, plus dL/dout at step t.
            if (sequences || t == steps - 1) {
                int go = sequences ? ((lo + n) * steps + t) * units : (lo + n) * units;
                for (int k = 0; k < units; k++) {
                    dh[dOff + k] += gOut[go + k];
                }
            }
            for (int k = 0; k < units; k++) {
                float dhk = dh[dOff + k];
                float i = gates[gOff + k];
                float f = gates[gOff + units + k];
                float g = gates[gOff + 2 * units + k];
                float o = gates[gOff + 3 * units + k];
                float tc = tanhCs[cOff + k];
                float dck = dc[dOff + k] + dhk * o * (1 - tc * tc);
                dc[dOff + k] = dck * f;
                step[sOff + k] = dck * g * i * (1 - i);
                step[sOff + units + k] = dck * prev[pOff + k] * f * (1 - f);
                step[sOff + 2 * units + k] = dck * i * (1 - g * g);
                step[sOff + 3 * units + k] = dhk * tc * o * (1 - o);
            }
        }
        System.arraycopy(step, 0, dz, t * batch * g4, batch * g4);
    }
}
