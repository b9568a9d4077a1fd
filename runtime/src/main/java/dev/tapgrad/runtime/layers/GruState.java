package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.math.RecurrentCells;
import java.util.Arrays;

/**
 * The buffers of one part of a {@link Gru}'s batch and its per-step gate arithmetic (Keras's
 * reset_after GRU, gate blocks z, r, h): the state of the latest forward call, time-major, and the
 * scratch of backward. The layer runs the GEMMs on these arrays; parts share nothing, so they can
 * run on different cores. Everything is reallocated only when the part's size changes.
 */
final class GruState extends RecurrentState {
    /** x_t · kernel + input bias, then the activated gates z, r, h̃, (steps, B, 3·units). */
    float[] gates;
    /** h_{t−1} · U_h + recurrent bias of the h block, the term r multiplies, (steps, B, units). */
    private float[] recH;
    /** dL/d(input projection) of every step, (steps, B, 3·units). */
    float[] dIn;
    /** dL/d(recurrent projection) of every step, (steps, B, 3·units): the h block is dIn's times r. */
    float[] dRec;
    /** One step's h_{t−1} · recurrent_kernel + recurrent bias in forward, its dL/d in backward, (B, 3·units). */
    float[] step;
    /** h of the latest step, the next recurrent GEMM's input, (B, units). */
    float[] hStep;
    /** dL/dh_t flowing back from step t + 1 (then from out as well), (B, units). */
    float[] dh;

    GruState(int steps, int features, int units) {
        super(steps, features, units, 6 * units);
    }

    @Override
    void allocate(int b) {
        int g3 = 3 * units;
        gates = new float[steps * b * g3];
        recH = new float[steps * b * units];
        dIn = new float[steps * b * g3];
        dRec = new float[steps * b * g3];
        step = new float[b * g3];
        hStep = new float[b * units];
        dh = new float[b * units];
    }

    /**
     * Step t, with the input projection in {@link #gates} and the recurrent one (bias included) in
     * {@link #step}: z = σ(x_z + h_z), r = σ(x_r + h_r), h̃ = tanh(x_h + r·h_h), h_t = z·h_{t−1} +
     * (1 − z)·h̃. Leaves z, r, h̃ in {@link #gates}, h_h in {@link #recH}, h_t in {@link #hs} and
     * {@link #hStep}.
     */
    void cellForward(int t) {
        int g3 = 3 * units;
        int bu = batch * units;
        for (int n = 0; n < batch; n++) {
            int gOff = (t * batch + n) * g3;
            int sOff = n * g3;
            int hOff = t * bu + n * units;
            RecurrentCells.gruForward(units, gates, gOff, step, sOff, hs, hOff, hOff + bu, recH, hStep, n * units);
        }
    }

    /** Zeroes the state gradient flowing in from after the last step; call before the first {@link #cellBackward}. */
    void startBackward() {
        Arrays.fill(dh, 0f);
        Arrays.fill(biasSums, 0);
    }

    /**
     * dL/d of step t's input and recurrent projections into {@link #dIn} and {@link #dRec} (the
     * latter also in {@link #step}, the layer's next GEMM's input), from
     * dL/dout at step t plus {@link #dh}; leaves in {@link #dh} the direct part z·dL/dh_t of
     * dL/dh_{t−1}, to which the layer adds dRec_t · recurrent_kernelᵀ. Adds the step's dIn and
     * dRec to the part's bias sums (input bias, then recurrent bias).
     */
    void cellBackward(int t, float[] gOut, boolean sequences) {
        int g3 = 3 * units;
        int bu = batch * units;
        for (int n = 0; n < batch; n++) {
            int gOff = (t * batch + n) * g3;
            int sOff = n * g3;
            int hOff = t * bu + n * units;
            int dOff = n * units;
            if (sequences || t == steps - 1) {
                int go = sequences ? ((lo + n) * steps + t) * units : (lo + n) * units;
                for (int k = 0; k < units; k++) {
                    dh[dOff + k] += gOut[go + k];
                }
            }
            RecurrentCells.gruBackward(units, dh, dOff, gates, gOff, hs, hOff, recH, dIn, step, sOff);
        }
        System.arraycopy(step, 0, dRec, t * batch * g3, batch * g3);
        addStepColumnSums(dIn, t, g3, 0);
        addStepColumnSums(dRec, t, g3, g3);
    }
}
