package dev.tapgrad.runtime.train;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of one epoch and the per-epoch summary lines, all on standard error so that
 * standard output stays free for a program's results. A quiet instance prints nothing.
 */
final class Progress implements AutoCloseable {
    /** The bar redraws about once a second; formatting its message more often is wasted work. */
    private static final long MESSAGE_INTERVAL_NANOS = 200_000_000L;

    private static final int NO_CONSOLE_WIDTH = 200;

    private final ProgressBar bar;
    private long lastMessage;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code batches} steps for epoch {@code epoch} of {@code epochs} (1-based). */
    static Progress epoch(boolean verbose, int epoch, int epochs, int batches) {
        if (!verbose) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("Epoch " + epoch + "/" + epochs)
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                // System.err as it is now (not the file descriptor), so redirections apply. Without
                // a console (CI logs, IDE runners) the library assumes 80 columns, which would cut the
                // loss terms off, so allow long lines there.
                .setConsumer(System.console() != null
                        ? new ConsoleProgressBarConsumer(System.err)
                        : new ConsoleProgressBarConsumer(System.err, NO_CONSOLE_WIDTH))
                .build();
        return new Progress(bar);
    }

    /** Advances one batch; {@code message} is evaluated only when the text would be shown. */
    void step(Supplier<String> message, boolean last) {
        if (bar == null) {
            return;
        }
        long now = System.nanoTime();
        if (last || now - lastMessage > MESSAGE_INTERVAL_NANOS) {
            bar.setExtraMessage(message.get());
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
