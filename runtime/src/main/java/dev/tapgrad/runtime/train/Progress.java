package dev.tapgrad.runtime.train;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The progress line of one epoch and the per-epoch lines, all on standard error so that standard
 * output stays free for a program's results. The line is drawn only when standard error is a
 * terminal ({@link StderrTerminal} asks it for its width), fitted to that width by {@link
 * ProgressLine}, redrawn with {@code \r} at most five times a second, and erased before the
 * epoch's line is printed, which is folded to the width too. When standard error is not a
 * terminal (a log file, a pipe, CI) there is no line: each epoch prints its line once, whole, with
 * no {@code \r}. A quiet instance prints nothing.
 */
final class Progress implements AutoCloseable {
    /** Redraws at most this often; formatting the message more often is wasted work. */
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String task;
    private final int steps;
    private final int columns;
    private int step;
    private long lastDraw;
    /** When the first step ended: the ETA is timed from the steps after it (the first one warms up). */
    private long firstStepEnded;
    private int drawnLength;

    private Progress(String task, int steps, int columns) {
        this.task = task;
        this.steps = steps;
        this.columns = columns;
    }

    /** A line over {@code batches} steps for epoch {@code epoch} of {@code epochs} (1-based). */
    static Progress epoch(boolean verbose, int epoch, int epochs, int batches) {
        int columns = verbose ? StderrTerminal.columns() : -1;
        return new Progress("Epoch " + epoch + "/" + epochs, batches, columns);
    }

    /** Advances one batch; {@code message} is evaluated only when the line is drawn. */
    void step(Supplier<String> message, boolean last) {
        step++;
        if (columns < 0) {
            return;
        }
        long now = System.nanoTime();
        if (step == 1) {
            firstStepEnded = now;
        }
        if (step == 1 || last || now - lastDraw > REDRAW_NANOS) {
            String eta = step < 2 ? null
                    : ProgressLine.duration((now - firstStepEnded) / 1e9 / (step - 1) * (steps - step));
            draw(ProgressLine.bar(columns, task, step, steps, eta, message.get()));
            lastDraw = now;
        }
    }

    private void draw(String line) {
        // spaces over what is left of a longer previous line, then back to its end
        int extra = Math.max(0, drawnLength - line.length());
        System.err.print("\r" + line + " ".repeat(extra) + "\b".repeat(extra));
        System.err.flush();
        drawnLength = line.length();
    }

    /** Erases the line, so that the epoch's own line takes its place. */
    @Override
    public void close() {
        if (drawnLength > 0) {
            System.err.print("\r" + " ".repeat(drawnLength) + "\r");
            System.err.flush();
            drawnLength = 0;
        }
    }

    /**
     * The epoch's line on standard error, if verbose: whole when standard error is not a terminal,
     * otherwise folded at its separators to the terminal's width.
     */
    static void line(boolean verbose, String text) {
        if (!verbose) {
            return;
        }
        int columns = StderrTerminal.columns();
        for (String l : columns < 0 ? List.of(text) : ProgressLine.wrap(text, columns)) {
            System.err.println(l);
        }
        System.err.flush();
    }

    /**
     * {@code loss 0.4112 = categorical_crossentropy 0.3901 + 0.01×sparsity 2.1100 · accuracy 0.861}
     * from averages keyed as {@link Totals#averages()}, each key prefixed with {@code prefix}.
     */
    static String describe(Map<String, Double> values, String prefix, List<String> names, double[] weights) {
        StringBuilder sb = new StringBuilder(prefix).append("loss ").append(number(values.get(prefix + "loss")));
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? " = " : " + ");
            if (weights[i] != 1) {
                sb.append(weight(weights[i])).append('×');
            }
            Double value = values.get(prefix + names.get(i));
            if (names.get(i).equals("loss")) {
                // A @Loss method named loss shares its key with the total (which keeps it): derive the term.
                value = values.get(prefix + "loss");
                for (int j = 0; j < names.size(); j++) {
                    Double other = values.get(prefix + names.get(j));
                    if (j != i && value != null && other != null) {
                        value -= weights[j] * other;
                    }
                }
            }
            sb.append(prefix).append(names.get(i)).append(' ').append(number(value));
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(prefix) && !key.equals(prefix + "loss") && !names.contains(key.substring(prefix.length()))) {
                sb.append(" · ").append(key).append(' ').append(String.format(Locale.ROOT, "%.3f", e.getValue()));
            }
        }
        return sb.toString();
    }

    private static String number(Double v) {
        return v == null ? "?" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String weight(double w) {
        return Double.isFinite(w) ? BigDecimal.valueOf(w).stripTrailingZeros().toPlainString() : String.valueOf(w);
    }
}
