package dev.tapgrad.runtime.train;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The progress bar of one epoch and the per-epoch summary lines, all on standard error so that
 * standard output stays free for a program's results. A quiet instance prints nothing, and so does
 * the bar when the optional progress-bar library is not on the class path ({@code TerminalBar}): then
 * the per-epoch lines are all there is.
 */
final class Progress implements AutoCloseable {
    /** The bar redraws about once a second; formatting its message more often is wasted work. */
    private static final long MESSAGE_INTERVAL_NANOS = 200_000_000L;

    /** Whether the optional library and its terminal dependency are on this class's class path. */
    private static final boolean BAR_AVAILABLE = present("me.tongfei.progressbar.ProgressBar")
            && present("org.jline.terminal.TerminalBuilder");

    private final TerminalBar bar;
    private long lastMessage;

    private Progress(TerminalBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code batches} steps for epoch {@code epoch} of {@code epochs} (1-based). */
    static Progress epoch(boolean verbose, int epoch, int epochs, int batches) {
        if (!verbose || !BAR_AVAILABLE) {
            return new Progress(null);
        }
        TerminalBar bar = TerminalBar.open("Epoch " + epoch + "/" + epochs, batches);
        return new Progress(bar);
    }

    /** Advances one batch; {@code message} is evaluated only when the text would be shown. */
    void step(Supplier<String> message, boolean last) {
        if (bar == null) {
            return;
        }
        long now = System.nanoTime();
        if (last || now - lastMessage > MESSAGE_INTERVAL_NANOS) {
            bar.message(message.get());
            lastMessage = now;
        }
        bar.step();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Whether epochs show a bar: the optional progress-bar library is on the class path. */
    static boolean barAvailable() {
        return BAR_AVAILABLE;
    }

    private static boolean present(String className) {
        try {
            // initialize = false: asking must not start the library (JLine probes the terminal).
            Class.forName(className, false, Progress.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** One line on standard error, if verbose. */
    static void line(boolean verbose, String text) {
        if (verbose) {
            System.err.println(text);
            System.err.flush();
        }
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
