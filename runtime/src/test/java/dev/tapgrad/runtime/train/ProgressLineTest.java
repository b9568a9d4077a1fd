package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress line's layout, pinned by hand: "Epoch 2/5" (9) + " [" + "]" (3) + " 120/313 ETA
 * 0:12 loss 0.4112" (29) is 41 columns without the bar; the breakdown is 74 more. A terminal of
 * 80 columns leaves 79 to write in. The real terminal is ProgressTerminalTest's.
 */
class ProgressLineTest {
    private static final String D = "loss 0.4112 = categorical_crossentropy 0.3901 + 0.01×sparsity 2.1100 · accuracy 0.861";

    @Test
    void eightyColumnsDropTheBreakdownAndKeepAThirtyWideBar() {
        // 41 + 10 + 74 > 79: no breakdown; the bar takes min(30, 79 - 41); 30·120/313 = 11.5 → 11 '='
        assertEquals("Epoch 2/5 [===========>..................] 120/313 ETA 0:12 loss 0.4112",
                ProgressLine.bar(80, "Epoch 2/5", 120, 313, "0:12", D));
    }

    @Test
    void aWideTerminalShowsTheBreakdown() {
        assertEquals("Epoch 2/5 [===========>..................] 120/313 ETA 0:12 " + D,
                ProgressLine.bar(200, "Epoch 2/5", 120, 313, "0:12", D));
    }

    @Test
    void narrowerTerminalsShrinkTheBarThenDropIt() {
        // 60 columns: bar 59 - 41 = 18 wide, 18·120/313 = 6.9 → 6 '='
        assertEquals("Epoch 2/5 [======>...........] 120/313 ETA 0:12 loss 0.4112",
                ProgressLine.bar(60, "Epoch 2/5", 120, 313, "0:12", D));
        // 40 columns: 41 + 10 > 39, no bar
        assertEquals("Epoch 2/5 120/313 ETA 0:12 loss 0.4112", ProgressLine.bar(40, "Epoch 2/5", 120, 313, "0:12", D));
        assertEquals("Epoch 2/5 120/313 ETA 0:", ProgressLine.bar(25, "Epoch 2/5", 120, 313, "0:12", D));
    }

    @Test
    void firstAndLastSteps() {
        assertEquals("Epoch 1/5 [>.............................]   1/313 ETA -:-- loss 0.4112",
                ProgressLine.bar(80, "Epoch 1/5", 1, 313, null, D));
        assertEquals("Epoch 1/5 [==============================] 313/313 ETA 0:00 loss 0.4112",
                ProgressLine.bar(80, "Epoch 1/5", 313, 313, "0:00", D));
    }

    @Test
    void durations() {
        assertEquals("0:07", ProgressLine.duration(7.2));
        assertEquals("12:30", ProgressLine.duration(750));
        assertEquals("1:02:03", ProgressLine.duration(3723));
    }

    /**
     * Greedy at the separators: the first line ends before " · accuracy" (74 + 17 > 79); the second
     * holds 4 + 16 + 18 + 38 = 76 and stops before " + 0.01×val_l2" (21 more).
     */
    @Test
    void anEpochLineFoldsAtItsSeparators() {
        String text = "Epoch 1/2: loss 2.3023 = categorical_crossentropy 2.3023 + 0.01×l2 0.0040 · accuracy 0.095"
                + " · val_loss 2.3033 = val_categorical_crossentropy 2.3032 + 0.01×val_l2 0.0078 · val_accuracy 0.078 (2.6 s)";
        assertEquals(List.of(
                "Epoch 1/2: loss 2.3023 = categorical_crossentropy 2.3023 + 0.01×l2 0.0040",
                "    · accuracy 0.095 · val_loss 2.3033 = val_categorical_crossentropy 2.3032",
                "    + 0.01×val_l2 0.0078 · val_accuracy 0.078 (2.6 s)"), ProgressLine.wrap(text, 80));
        for (int columns = 12; columns <= 220; columns++) {
            List<String> lines = ProgressLine.wrap(text, columns);
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                assertTrue(l.length() <= columns - 1, columns + " columns: " + l);
                joined.append(i == 0 ? l : l.substring(ProgressLine.INDENT.length()));
            }
            // nothing lost: rejoined (the indents off, the separators' spaces back) it is the text
            assertEquals(text.replace(" ", ""), joined.toString().replace(" ", ""), columns + " columns");
        }
        assertEquals(List.of("short"), ProgressLine.wrap("short", 80));
    }

    @Test
    void sttySizeIsRowsThenColumns() {
        assertEquals(80, StderrTerminal.parse("24 80"));
        assertEquals(132, StderrTerminal.parse("50 132\n"));
        assertEquals(StderrTerminal.DEFAULT_COLUMNS, StderrTerminal.parse("0 0"));
        assertEquals(-1, StderrTerminal.parse(""));
        assertEquals(-1, StderrTerminal.parse("stty: standard input: Inappropriate ioctl for device"));
    }

    /** Under surefire standard error is a pipe: not a terminal, so fit prints plain lines. */
    @Test
    void aPipeIsNotATerminal() {
        assertEquals(-1, StderrTerminal.columns());
    }
}
