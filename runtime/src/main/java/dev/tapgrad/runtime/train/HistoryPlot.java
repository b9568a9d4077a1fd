package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link History#plot} draws: one panel per loss term, metric or other recorded quantity (its
 * own scale, so a crossentropy near 0.4 and a penalty near 2 are both readable), each with the
 * training curve and, when there was validation data, the validation curve, over the epochs. The
 * drawing is XChart's (org.knowm.xchart), an optional dependency of the runtime: this class checks
 * for it and names the dependency to add when it is missing, and only then loads {@code
 * XChartDrawing}, the one class that touches the library.
 */
public final class HistoryPlot {
    /** The coordinates to add to a pom when XChart is not on the class path. */
    static final String DEPENDENCY = "org.knowm.xchart:xchart:4.0.3";

    private HistoryPlot() {}

    /** One panel: its title, the training values (or null) and the validation values (or null). */
    record Panel(String key, List<Double> train, List<Double> validation) {
        String title() {
            return key.equals("loss") ? "loss (weighted total of the terms)" : key;
        }
    }

    /**
     * Writes a PNG of every key of {@code history} to {@code png}, atomically (see {@code
     * AtomicFiles}): the file is the previous one or the complete new one.
     *
     * @throws IllegalStateException if XChart is not on the class path (naming the dependency to
     *     add), or the history has no epochs
     * @throws IOException if the file cannot be written; it is then unchanged
     */
    public static void write(History history, Path png) throws IOException {
        if (!xchartPresent()) {
            throw new IllegalStateException("History.plot draws with XChart, which is not on the class path: add the"
                    + " dependency " + DEPENDENCY + " (Maven: <groupId>org.knowm.xchart</groupId><artifactId>xchart"
                    + "</artifactId><version>4.0.3</version>) to plot " + png);
        }
        if (history.epochs() == 0) {
            throw new IllegalStateException("History has no epochs, so there is nothing to plot to " + png);
        }
        XChartDrawing.write(panels(history), history.epochs(), png);
    }

    /** The panels in the order of the history's keys; {@code val_x} joins the panel of {@code x}. */
    static List<Panel> panels(History history) {
        Map<String, List<Double>> train = new LinkedHashMap<>();
        Map<String, List<Double>> validation = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String key : history.keys()) {
            boolean val = key.startsWith("val_");
            String base = val ? key.substring(4) : key;
            if (!order.contains(base)) {
                order.add(base);
            }
            (val ? validation : train).put(base, history.get(key));
        }
        List<Panel> panels = new ArrayList<>();
        for (String base : order) {
            panels.add(new Panel(base, train.get(base), validation.get(base)));
        }
        return panels;
    }

    static boolean xchartPresent() {
        try {
            // initialize = false: asking must not start AWT.
            Class.forName("org.knowm.xchart.XYChart", false, HistoryPlot.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
