package dev.tapgrad.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of the progress line and of the epoch lines, fitted to a terminal's width. The line is
 * {@code Epoch 2/5 [=====>......] 120/313 ETA 0:12 loss 0.4112} followed by the per-term breakdown
 * ({@code = categorical_crossentropy 0.3901 + 0.01×sparsity 2.1100 · accuracy 0.861}) when all of
 * it fits; otherwise the breakdown is dropped before the bar shrinks below {@link #MIN_BAR}, and it
 * is in the epoch's own line at the end, which {@link #wrap} folds at its separators. Nothing is
 * written in a terminal's last column, where some terminals wrap at once.
 */
final class ProgressLine {
    static final int MIN_BAR = 10;
    static final int MAX_BAR = 30;
    /** Continuation lines of a folded epoch line start with this. */
    static final String INDENT = "    ";

    private ProgressLine() {}

    /**
     * The progress line for a terminal {@code columns} wide.
     *
     * @param description {@code loss 0.41 = term 0.39 + ... · metric ...}: the total before the first
     *     {@code " = "}, the breakdown from it on
     * @param eta the remaining time, or null while it is unknown (before the second step)
     */
    static String bar(int columns, String task, int step, int steps, String eta, String description) {
        int room = Math.max(1, columns - 1);
        int split = description.indexOf(" = ");
        String total = split < 0 ? description : description.substring(0, split);
        String breakdown = split < 0 ? "" : description.substring(split);
        String count = pad(step, steps) + "/" + steps;
        String tail = " " + count + " ETA " + (eta == null ? "-:--" : eta) + " " + total;
        int fixed = task.length() + 3 + tail.length(); // "task [" + bar + "]" + tail
        String line;
        if (fixed + MIN_BAR + breakdown.length() <= room) {
            line = task + " [" + bar(Math.min(MAX_BAR, room - fixed - breakdown.length()), step, steps) + "]" + tail + breakdown;
        } else if (fixed + MIN_BAR <= room) {
            line = task + " [" + bar(Math.min(MAX_BAR, room - fixed), step, steps) + "]" + tail;
        } else {
            line = task + tail; // a very narrow terminal: the figures without a bar
        }
        return line.length() <= room ? line : line.substring(0, room);
    }

    /** {@code [=====>......]}'s inside, {@code width} characters, as Keras draws it. */
    static String bar(int width, int step, int steps) {
        int done = steps == 0 ? width : (int) ((long) width * step / steps);
        StringBuilder s = new StringBuilder(width);
        s.append("=".repeat(done));
        if (done < width) {
            s.append('>').append(".".repeat(width - done - 1));
        }
        return s.toString();
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * {@code text} in lines of at most {@code columns - 1} characters, broken before its separators
     * ({@code " · "} first, then {@code " = "} and {@code " + "}); continuation lines are indented.
     * A piece longer than a whole line is cut.
     */
    static List<String> wrap(String text, int columns) {
        int room = Math.max(INDENT.length() + 1, columns - 1);
        List<String> lines = new ArrayList<>();
        if (text.length() <= room) {
            lines.add(text);
            return lines;
        }
        StringBuilder current = new StringBuilder();
        for (String piece : pieces(text)) {
            String candidate = current.length() == 0 ? piece : current + piece;
            if (candidate.length() <= room) {
                current.setLength(0);
                current.append(candidate);
                continue;
            }
            if (current.length() > 0) {
                lines.add(current.toString());
            }
            String next = INDENT + piece.stripLeading();
            while (next.length() > room) {
                lines.add(next.substring(0, room));
                next = INDENT + next.substring(room);
            }
            current.setLength(0);
            current.append(next);
        }
        if (current.length() > 0) {
            lines.add(current.toString());
        }
        return lines;
    }

    /** The text cut before each separator, each piece keeping its separator at its start. */
    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length() - 2; i++) {
            String sep = text.substring(i, i + 3);
            if (sep.equals(" · ") || sep.equals(" = ") || sep.equals(" + ")) {
                pieces.add(text.substring(start, i));
                start = i;
                i += 2;
            }
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    private static String pad(int step, int steps) {
        String s = Integer.toString(step);
        return " ".repeat(Math.max(0, Integer.toString(steps).length() - s.length())) + s;
    }
}
