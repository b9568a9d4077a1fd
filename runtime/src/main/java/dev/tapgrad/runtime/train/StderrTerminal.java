package dev.tapgrad.runtime.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whether standard error is a terminal, and how wide it is, asked of that terminal itself: {@code
 * stty size} run with the JVM's own standard error as its input ({@code sh -c 'stty size <&2'}).
 * Not {@code System.console()}, which is null as soon as standard output is redirected ({@code
 * sample > result.json}) although the progress goes to a terminal on standard error; and no
 * terminal library, so a user's application carries no native code for a progress line. Where
 * there is no {@code sh}/{@code stty} (Windows), standard error counts as not a terminal and
 * {@code fit} prints its plain per-epoch lines.
 */
final class StderrTerminal {
    /** A terminal that reports no size (0 columns, as some pseudo-terminals do) is taken as this wide. */
    static final int DEFAULT_COLUMNS = 80;
    /** Asked again after this long, so that a resized window is seen at the next epoch. */
    private static final long CACHE_NANOS = 1_000_000_000L;

    private static long askedAt;
    private static int cached;

    private StderrTerminal() {}

    /** The columns of the terminal on standard error, or -1 when standard error is not a terminal. */
    static synchronized int columns() {
        long now = System.nanoTime();
        if (askedAt == 0 || now - askedAt > CACHE_NANOS) {
            cached = ask();
            askedAt = now;
        }
        return cached;
    }

    private static int ask() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return -1;
        }
        try {
            // <&2 first, then 2>/dev/null: stty reads the JVM's standard error, and its own
            // complaint about a non-terminal goes nowhere.
            Process p = new ProcessBuilder("sh", "-c", "stty size <&2 2>/dev/null")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue() == 0 ? parse(out) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code "24 80"} (rows, columns) to 80; a size of 0 to the default; anything else: not a terminal. */
    static int parse(String sttySize) {
        String[] parts = sttySize.trim().split("\\s+");
        if (parts.length != 2) {
            return -1;
        }
        try {
            int columns = Integer.parseInt(parts[1]);
            return columns > 0 ? columns : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
