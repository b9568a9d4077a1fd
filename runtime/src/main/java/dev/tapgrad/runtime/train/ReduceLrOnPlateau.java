package dev.tapgrad.runtime.train;

import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when the monitored quantity has not improved for
 * {@code patience} epochs, as Keras's {@code ReduceLROnPlateau} (defaults: factor 0.1, patience 10,
 * minDelta 1e-4, cooldown 0, minLr 0): never below {@code minLr}, then waits {@code cooldown}
 * epochs. The new rate stays with the model for later fits with the same optimizer and is saved in
 * backups. The optimizer's rate must be constant: a schedule decides its own.
 *
 * <pre>{@code
 * ReduceLrOnPlateau.monitor("val_loss").factor(0.5).patience(2).minLr(1e-5)
 * }</pre>
 */
public final class ReduceLrOnPlateau implements Callback, Monitoring {
    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLr;

    private Double best;
    private int wait;
    private int cooldownCounter;

    private ReduceLrOnPlateau(Monitor monitor, double factor, int patience, int cooldown, double minLr) {
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** Watches {@code key} of the epoch logs, e.g. {@code "val_loss"}. */
    public static ReduceLrOnPlateau monitor(String key) {
        return new ReduceLrOnPlateau(new Monitor(key, 1e-4), 0.1, 10, 0, 0);
    }

    /**
     * The multiplier, in (0, 1); default 0.1.
     *
     * @throws IllegalArgumentException outside (0, 1)
     */
    public ReduceLrOnPlateau factor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLrOnPlateau.factor: must be in (0, 1), got " + factor);
        }
        return new ReduceLrOnPlateau(monitor, factor, patience, cooldown, minLr);
    }

    /**
     * Epochs without improvement before reducing, ≥ 0; default 10.
     *
     * @throws IllegalArgumentException if negative
     */
    public ReduceLrOnPlateau patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("ReduceLrOnPlateau.patience: must be >= 0 (epochs without improvement), got "
                    + patience);
        }
        return new ReduceLrOnPlateau(monitor, factor, patience, cooldown, minLr);
    }

    /** The least change that counts as an improvement, ≥ 0; default 1e-4. */
    public ReduceLrOnPlateau minDelta(double minDelta) {
        return new ReduceLrOnPlateau(new Monitor(monitor.key(), Monitor.checkDelta("ReduceLrOnPlateau", minDelta)), factor,
                patience, cooldown, minLr);
    }

    /**
     * Epochs to wait after a reduction before counting again, ≥ 0; default 0.
     *
     * @throws IllegalArgumentException if negative
     */
    public ReduceLrOnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new IllegalArgumentException("ReduceLrOnPlateau.cooldown: must be >= 0, got " + cooldown);
        }
        return new ReduceLrOnPlateau(monitor, factor, patience, cooldown, minLr);
    }

    /**
     * The lowest rate it reduces to, ≥ 0; default 0.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public ReduceLrOnPlateau minLr(double minLr) {
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("ReduceLrOnPlateau.minLr: must be finite and >= 0, got " + minLr);
        }
        return new ReduceLrOnPlateau(monitor, factor, patience, cooldown, minLr);
    }

    @Override
    public Monitor monitor() {
        return monitor;
    }

    @Override
    public void onTrainBegin(TrainingControl control) {
        best = null;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingControl control) {
        double current = monitor.read(logs);
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (monitor.improves(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double old = control.learningRate();
                // Keras compares with min_lr in float32, so a rate that has reached it in float stops
                if (old > (float) minLr) {
                    control.learningRate(Math.max(old * factor, minLr));
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ReduceLrOnPlateau(" + monitor.key() + ", factor=" + factor + ", patience=" + patience + ")";
    }
}
