package dev.tapgrad.runtime.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one class that touches the optional progress-bar library (me.tongfei:progressbar and the JLine
 * terminal it needs). {@link Progress} loads this class only after it found the library, so without
 * it on the class path no class of the library is ever resolved (the JVM's verifier would resolve
 * some of them as soon as this class were loaded, which is why the check is not here) and
 * {@code fit} prints its plain per-epoch lines instead.
 */
final class TerminalBar {
    /** Without a console (CI logs, IDE runners) the library assumes 80 columns, too few for the terms. */
    private static final int NO_CONSOLE_WIDTH = 200;

    private final ProgressBar bar;

    private TerminalBar(ProgressBar bar) {
        this.bar = bar;
    }

    static TerminalBar open(String task, int steps) {
        return new TerminalBar(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                // System.err as it is now (not the file descriptor), so redirections apply.
                .setConsumer(System.console() != null
                        ? new ConsoleProgressBarConsumer(System.err)
                        : new ConsoleProgressBarConsumer(System.err, NO_CONSOLE_WIDTH))
                .build());
    }

    void message(String text) {
        bar.setExtraMessage(text);
    }

    void step() {
        bar.step();
    }

    void close() {
        bar.close();
    }
}
