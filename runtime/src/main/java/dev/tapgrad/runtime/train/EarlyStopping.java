package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Stops training when the monitored quantity has not improved for {@code patience} epochs, as
 * Keras's {@code EarlyStopping}: an epoch improves if it beats the best by more than {@code
 * minDelta} (downwards for losses, upwards for accuracies); training stops at the end of the epoch
 * where {@code patience} epochs in a row did not. With {@link #restoreBestWeights()} the model ends
 * with the weights of the best epoch, also when no early stop happened (Keras 3's behaviour).
 * Defaults as Keras: patience 0, minDelta 0. The wait restarts in every {@code fit} and after a
 * resumed backup.
 *
 * <pre>{@code
 * EarlyStopping.monitor("val_loss").patience(3).minDelta(1e-3).restoreBestWeights()
 * }</pre>
 */
public final class EarlyStopping implements Callback, Monitoring {
    private final Monitor monitor;
    private final int patience;
    private final boolean restoreBestWeights;

    private int wait;
    private Double best;
    private float[][] bestWeights;
    private int bestEpoch;
    private int stoppedEpoch;

    private EarlyStopping(Monitor monitor, int patience, boolean restoreBestWeights) {
        this.monitor = monitor;
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
    }

    /** Watches {@code key} of the epoch logs, e.g. {@code "val_loss"} or {@code "val_accuracy"}. */
    public static EarlyStopping monitor(String key) {
        return new EarlyStopping(new Monitor(key, 0), 0, false);
    }

    /**
     * Epochs without improvement before stopping, ≥ 0; default 0 (stop at the first).
     *
     * @throws IllegalArgumentException if negative
     */
    public EarlyStopping patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping.patience: must be >= 0 (epochs without improvement), got "
                    + patience);
        }
        return new EarlyStopping(monitor, patience, restoreBestWeights);
    }

    /**
     * The least change that counts as an improvement, ≥ 0; default 0.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public EarlyStopping minDelta(double minDelta) {
        return new EarlyStopping(new Monitor(monitor.key(), Monitor.checkDelta("EarlyStopping", minDelta)), patience,
                restoreBestWeights);
    }

    /** Ends training with the weights (and layer state) of the best epoch. */
    public EarlyStopping restoreBestWeights() {
        return new EarlyStopping(monitor, patience, true);
    }

    @Override
    public Monitor monitor() {
        return monitor;
    }

    /** The epoch training was stopped in (from 1), or 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The best epoch of the last fit (from 1), 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainBegin(TrainingControl control) {
        wait = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
        stoppedEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
        double current = monitor.read(logs);
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = copy(control.weights());
            bestEpoch = epoch;
        }
        wait++;
        if (monitor.improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                copyInto(control.weights(), bestWeights);
            }
            wait = 0;
            return;
        }
        if (wait >= patience && epoch > 1) {
            stoppedEpoch = epoch;
            control.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(TrainingControl control) {
        if (restoreBestWeights && bestWeights != null) {
            List<Parameter> weights = control.weights();
            for (int i = 0; i < weights.size(); i++) {
                System.arraycopy(bestWeights[i], 0, weights.get(i).value().buffer(), 0, bestWeights[i].length);
            }
        }
    }

    private static float[][] copy(List<Parameter> weights) {
        float[][] out = new float[weights.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = weights.get(i).value().buffer().clone();
        }
        return out;
    }

    private static void copyInto(List<Parameter> weights, float[][] into) {
        for (int i = 0; i < into.length; i++) {
            float[] w = weights.get(i).value().buffer();
            System.arraycopy(w, 0, into[i], 0, w.length);
        }
    }

    @Override
    public String toString() {
        return "EarlyStopping(" + monitor.key() + ", patience=" + patience
                + (monitor.minDelta() != 0 ? ", minDelta=" + monitor.minDelta() : "")
                + (restoreBestWeights ? ", restoreBestWeights" : "") + ")";
    }
}
