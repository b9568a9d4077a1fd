package dev.tapgrad.runtime;

import dev.tapgrad.runtime.train.HistoryPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code fit} recorded, one value per epoch for each key, as Keras's {@code History.history}:
 * {@code loss} (the weighted total), each loss term by name (unweighted), each metric (e.g.
 * {@code accuracy}), and the same with a {@code val_} prefix when validation data was given.
 *
 * <pre>{@code
 * history.get("loss");            // [0.52, 0.41, 0.38]
 * history.last("val_accuracy");   // 0.861
 * }</pre>
 */
public final class History {
    private final Map<String, List<Double>> values;
    private final int epochs;

    private History(Map<String, List<Double>> values, int epochs) {
        this.values = values;
        this.epochs = epochs;
    }

    /**
     * A history from per-epoch records, in epoch order; every record must have the same keys. Used
     * by the training loop; the keys keep the first record's order.
     */
    public static History of(List<Map<String, Double>> perEpoch) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        if (!perEpoch.isEmpty()) {
            for (String key : perEpoch.get(0).keySet()) {
                values.put(key, new ArrayList<>());
            }
        }
        for (int e = 0; e < perEpoch.size(); e++) {
            Map<String, Double> record = perEpoch.get(e);
            if (!record.keySet().equals(values.keySet())) {
                throw new IllegalArgumentException("History.of: epoch " + (e + 1) + " has keys " + record.keySet()
                        + " but epoch 1 has " + values.keySet());
            }
            record.forEach((k, v) -> values.get(k).add(v));
        }
        values.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return new History(Collections.unmodifiableMap(values), perEpoch.size());
    }

    /** The recorded keys, in the order fit reports them. */
    public List<String> keys() {
        return List.copyOf(values.keySet());
    }

    /**
     * One value per epoch for {@code key}.
     *
     * @throws IllegalArgumentException for an unknown key, listing the known ones
     */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("History has no key '" + key + "'; its keys are " + values.keySet());
        }
        return v;
    }

    /** The value of {@code key} after the last epoch. */
    public double last(String key) {
        List<Double> v = get(key);
        if (v.isEmpty()) {
            throw new IllegalStateException("History has no epochs, so '" + key + "' has no last value");
        }
        return v.get(v.size() - 1);
    }

    /** Number of epochs recorded. */
    public int epochs() {
        return epochs;
    }

    /**
     * Draws every key per epoch (each loss term and metric in its own panel, training and
     * validation curves together) into a PNG at {@code png}, written atomically. Needs XChart
     * ({@code org.knowm.xchart:xchart}), an optional dependency of the runtime, on the class path.
     *
     * @throws IllegalStateException if XChart is missing (the message names the dependency) or
     *     there are no epochs
     */
    public void plot(Path png) throws IOException {
        HistoryPlot.write(this, png);
    }

    /** A table with one row per epoch and one column per key. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("History (").append(epochs).append(epochs == 1 ? " epoch)" : " epochs)");
        sb.append('\n').append(String.format(Locale.ROOT, "%6s", "epoch"));
        List<Integer> widths = new ArrayList<>();
        for (String key : values.keySet()) {
            int w = Math.max(key.length(), 10);
            widths.add(w);
            sb.append("  ").append(String.format(Locale.ROOT, "%" + w + "s", key));
        }
        for (int e = 0; e < epochs; e++) {
            sb.append('\n').append(String.format(Locale.ROOT, "%6d", e + 1));
            int i = 0;
            for (List<Double> v : values.values()) {
                sb.append("  ").append(String.format(Locale.ROOT, "%" + widths.get(i++) + ".4f", v.get(e)));
            }
        }
        return sb.toString();
    }
}
