package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line in a real pseudo-terminal of 80 columns: a child JVM trains ({@link
 * ProgressChild}) in a detached tmux session of 80×40, and the test reads the screen as tmux shows
 * it (capture-pane, wrapped lines joined, so a line longer than the terminal shows as one long
 * line). Three set-ups: everything on the terminal; standard output redirected to a file (the way
 * {@code sample > result.json} runs, where {@code System.console()} is null); standard error to a
 * file. Skipped, saying so, where tmux is not installed (.ci/run installs it).
 */
class ProgressTerminalTest {
    private static final int COLUMNS = 80;

    @TempDir
    Path dir;

    private final String socket = "tapgrad-progress-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @BeforeAll
    static void needsTmux() {
        boolean found;
        try {
            found = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        Assumptions.assumeTrue(found, "SKIPPED: tmux is not installed, so the progress line cannot be tested in a real"
                + " terminal (apt-get install tmux; .ci/run does)");
    }

    @AfterEach
    void stopTmux() throws Exception {
        tmux("kill-server");
    }

    @Test
    void everythingOnTheTerminal() throws Exception {
        start("");
        List<String> paused = screenWhilePaused();
        checkBar(paused);
        List<String> end = screenAtExit();
        checkEpochLines(end);
        assertTrue(end.contains("{\"done\":true}"), "standard output on the screen:\n" + String.join("\n", end));
    }

    @Test
    void standardOutputRedirected() throws Exception {
        start(" > " + dir.resolve("out.txt"));
        checkBar(screenWhilePaused());
        List<String> end = screenAtExit();
        checkEpochLines(end);
        assertFalse(end.contains("{\"done\":true}"), "standard output went to the file");
        assertEquals("{\"done\":true}\n", Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    /** Standard error is a file: no line is drawn, no {@code \r}, one whole line per epoch, once. */
    @Test
    void standardErrorToAFile() throws Exception {
        Path err = dir.resolve("err.txt");
        start(" 2> " + err);
        List<String> paused = screenWhilePaused();
        assertFalse(String.join("\n", paused).contains("Epoch"), "nothing of the progress on the screen:\n" + paused);
        List<String> end = screenAtExit();
        assertTrue(end.contains("{\"done\":true}"), String.join("\n", end));
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), "no carriage return in a log file:\n" + log);
        List<String> lines = log.lines().toList();
        assertEquals(ProgressChild.EPOCHS, lines.size(), "one line per epoch:\n" + log);
        for (int e = 1; e <= ProgressChild.EPOCHS; e++) {
            String line = lines.get(e - 1);
            assertTrue(line.startsWith("Epoch " + e + "/2: loss "), line);
            assertTrue(line.contains(" = categorical_crossentropy ") && line.contains(" · val_loss ")
                    && line.contains(" · val_accuracy ") && line.endsWith(" s)"), "the whole epoch on one line: " + line);
        }
    }

    /** Mid-epoch: the progress line, once, inside 79 columns, with bar, step, ETA and total. */
    private static void checkBar(List<String> screen) {
        List<String> bars = screen.stream().filter(l -> l.contains("Epoch 1/2")).toList();
        assertEquals(1, bars.size(), "one progress line, not a pile of partial ones:\n" + String.join("\n", screen));
        String bar = bars.get(0);
        assertTrue(bar.length() <= COLUMNS - 1, "fits in " + COLUMNS + " columns (" + bar.length() + "): " + bar);
        assertTrue(bar.matches("Epoch 1/2 \\[=+>\\.+\\] \\d\\d/40 ETA \\d+:\\d\\d loss \\d+\\.\\d{4}"),
                "bar, step, ETA (known after the first step) and total loss; the breakdown does not fit 80 columns: " + bar);
        int equals = bar.indexOf('>') - bar.indexOf('[') - 1;
        int width = bar.indexOf(']') - bar.indexOf('[') - 1;
        int step = Integer.parseInt(bar.substring(bar.indexOf(']') + 2, bar.indexOf('/', bar.indexOf(']'))));
        assertEquals(width * step / 40, equals, "the bar shows the step drawn: " + bar);
        assertTrue(width >= ProgressLine.MIN_BAR, bar);
    }

    /** At the end: each epoch's line folded inside 79 columns, no bar left behind, nothing twice. */
    private static void checkEpochLines(List<String> screen) {
        String all = String.join("\n", screen);
        List<String> epochs = new ArrayList<>();
        for (String line : screen) {
            assertTrue(line.length() <= COLUMNS - 1, "every line fits (" + line.length() + "): " + line + "\n" + all);
            assertFalse(line.contains("["), "no progress line left on the screen:\n" + all);
            if (line.startsWith("Epoch ")) {
                epochs.add(line);
            } else if (line.startsWith(ProgressLine.INDENT) && !epochs.isEmpty()) {
                epochs.set(epochs.size() - 1, epochs.get(epochs.size() - 1) + " " + line.strip());
            }
        }
        assertEquals(ProgressChild.EPOCHS, epochs.size(), "each epoch's line once:\n" + all);
        for (int e = 1; e <= ProgressChild.EPOCHS; e++) {
            String line = epochs.get(e - 1);
            assertTrue(line.startsWith("Epoch " + e + "/2: loss "), line);
            assertTrue(line.contains(" = categorical_crossentropy ") && line.contains(" + 0.01×l2 ")
                    && line.contains(" · val_accuracy ") && line.endsWith(" s)"), "the whole breakdown, folded: " + line);
        }
    }

    private void start(String redirect) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String script = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + ProgressChild.class.getName() + " '" + dir + "'" + redirect + "\necho EXIT=$?\nsleep 600\n";
        Path run = dir.resolve("run.sh");
        Files.writeString(run, script, StandardCharsets.UTF_8);
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", Integer.toString(COLUMNS), "-y", "40", "sh " + run);
    }

    private List<String> screenWhilePaused() throws Exception {
        waitFor(() -> Files.exists(dir.resolve("paused")), "the child to reach the middle of epoch 1");
        Thread.sleep(300); // the draw after the paused step has reached the terminal
        List<String> screen = screen();
        Files.writeString(dir.resolve("go"), "");
        return screen;
    }

    private List<String> screenAtExit() throws Exception {
        waitFor(() -> screen().stream().anyMatch(l -> l.startsWith("EXIT=")), "the child to exit");
        List<String> screen = screen();
        assertTrue(screen.contains("EXIT=0"), String.join("\n", screen));
        return screen.stream().filter(l -> !l.startsWith("EXIT=")).toList();
    }

    /** The screen's lines as tmux shows them, wrapped lines joined, trailing blanks and empty lines dropped. */
    private List<String> screen() throws Exception {
        String text = tmux("capture-pane", "-p", "-J", "-t", "t");
        return text.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
