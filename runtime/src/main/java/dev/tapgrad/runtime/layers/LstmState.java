package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.math.RecurrentCells;
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
        super(steps, features, units, 4 * units);
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
            int cOff = t * bu + n * units;
            RecurrentCells.lstmForward(units, gates, (t * batch + n) * g4, t > 0 ? step : null, n * g4,
                    t > 0 ? cs : zeroState, t > 0 ? cOff - bu : 0, cs, tanhCs, cOff, hs, cOff + bu, hStep, n * units);
        }
    }

    /** Zeroes the state gradients flowing in from after the last step; call before the first {@link #cellBackward}. */
    void startBackward() {
        Arrays.fill(dh, 0f);
        Arrays.fill(dc, 0f);
        Arrays.fill(biasSums, 0);
    }

    /**
     * dL/dz of step t into {@link #dz} and {@link #step}, from dL/dout at step t ({@code gOut} as
     * (B, steps, units) when {@code sequences}, else (B, units) for the last step) plus {@link #dh}
     * and dL/dc_t from step t + 1; leaves dL/dc_{t−1} for step t − 1 and adds the step's dL/dz to
     * the part's bias sums.
     */
    void cellBackward(int t, float[] gOut, boolean sequences) {
        int g4 = 4 * units;
        int bu = batch * units;
        float[] prev = t > 0 ? cs : zeroState;
        boolean fromOut = sequences || t == steps - 1;
        for (int n = 0; n < batch; n++) {
            int cOff = t * bu + n * units;
            int go = sequences ? ((lo + n) * steps + t) * units : (lo + n) * units;
            RecurrentCells.lstmBackward(units, dh, dc, n * units, fromOut ? gOut : null, go, gates,
                    (t * batch + n) * g4, tanhCs, cOff, prev, t > 0 ? cOff - bu : 0, step, n * g4);
        }
        System.arraycopy(step, 0, dz, t * batch * g4, batch * g4);
        addStepColumnSums(dz, t, g4, 0);
    }
}
