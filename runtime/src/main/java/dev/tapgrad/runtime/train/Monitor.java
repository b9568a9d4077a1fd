package dev.tapgrad.runtime.train;

import java.util.Collection;
import java.util.Set;

/**
 * A monitored quantity of the epoch logs and Keras's improvement rule ({@code MonitorCallback}):
 * accuracies improve upwards, losses and error metrics downwards, by more than {@code minDelta}.
 */
record Monitor(String key, double minDelta) {
    private static final Set<String> HIGHER_IS_BETTER = Set.of("accuracy", "binary_accuracy", "categorical_accuracy",
            "sparse_categorical_accuracy");

    Monitor {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("monitor: name a log key such as \"val_loss\" or \"accuracy\"");
        }
        checkDelta("Monitor", minDelta);
    }

    /** The minDelta of {@code owner}, checked: finite and ≥ 0. */
    static double checkDelta(String owner, double minDelta) {
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException(owner + ".minDelta: must be finite and >= 0, got " + minDelta);
        }
        return minDelta;
    }

    /** Whether larger values are better: the accuracy metrics (with or without {@code val_}). */
    boolean maximize() {
        return HIGHER_IS_BETTER.contains(key.startsWith("val_") ? key.substring(4) : key);
    }

    /** Keras's {@code _is_improvement}: any value improves on none; otherwise by more than minDelta. */
    boolean improves(double value, Double best) {
        if (best == null) {
            return true;
        }
        return maximize() ? value - minDelta > best : value + minDelta < best;
    }

    /** The value in an epoch's logs; the key was checked against the logs before training. */
    double read(java.util.Map<String, Double> logs) {
        Double v = logs.get(key);
        if (v == null) {
            throw new IllegalStateException("the epoch logs have no " + key + "; they have " + logs.keySet());
        }
        return v;
    }

    /**
     * The error for a monitor that names no log key, listing the keys, or null if it names one.
     *
     * @param owner e.g. {@code EarlyStopping}
     */
    String problem(String owner, Collection<String> keys, boolean validation) {
        if (keys.contains(key)) {
            return null;
        }
        String hint = key.startsWith("val_") && !validation
                ? " (the val_ keys exist only with validation data: add Fit.validation(data) or Fit.validationSplit(0.2))"
                : "";
        return owner + ".monitor(\"" + key + "\") names no loss term or metric of this fit; the keys are " + keys + hint;
    }
}
