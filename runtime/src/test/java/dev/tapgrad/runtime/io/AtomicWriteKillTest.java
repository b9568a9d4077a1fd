package dev.tapgrad.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that rewrites a checkpoint, a CSV file and a PNG plot in a loop with SIGKILL at random
 * moments, 24 times, and checks after each kill that every file is a complete write: every value
 * belongs to one counter, the CSV is exactly one write's, the PNG decodes whole, and no temporary
 * file took a target's name.
 */
class AtomicWriteKillTest {
    private static final int KILLS = 24;

    @TempDir
    Path dir;

    @Test
    void everySurvivingFileIsACompleteWrite() throws Exception {
        Random random = new Random(20261206);
        long next = 1;
        int killedMidWrite = 0;
        for (int round = 0; round < KILLS; round++) {
            Process child = start(next);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            // Wait for one complete write (so the files exist), then kill at a random moment of
            // the following writes.
            String first = out.readLine();
            if (first == null) {
                fail("the child JVM exited before writing: " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Thread.sleep(random.nextInt(300));
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no finally block runs
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            long k = checkCheckpoint(Long.parseLong(first));
            checkCsv(k);
            checkPng();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (!name.equals("model.safetensors") && !name.equals("log.csv") && !name.equals("curves.png")) {
                        assertTrue(AtomicFiles.isTemporary(f), "unexpected file " + name);
                        killedMidWrite++;
                    }
                }
            }
            next = k + 100; // this round's writes are told apart from the earlier rounds' ones
        }
        System.out.println("AtomicWriteKillTest: " + killedMidWrite + " of " + KILLS + " kills landed inside a write");
        // The test means something only if some kills hit a write in progress (they left a temp file).
        assertTrue(killedMidWrite >= 3, "only " + killedMidWrite + " of " + KILLS + " kills landed inside a write");
    }

    /**
     * The checkpoint holds one complete write k, not older than the first one the child reported
     * (later ones may have completed after the last line we could read).
     */
    private long checkCheckpoint(long firstReported) throws IOException {
        List<Parameter> params = List.of(new Parameter("step", Tensor.zeros(1)), new Parameter("w", Tensor.zeros(AtomicWriteChild.SIZE)));
        Checkpoints.load(dir.resolve("model.safetensors"), params, "the kill test's checkpoint");
        long k = (long) params.get(0).value().buffer()[0];
        assertTrue(k >= firstReported, "checkpoint of write " + k + " after write " + firstReported + " was reported");
        float[] w = params.get(1).value().buffer();
        for (int i = 0; i < w.length; i++) {
            if (w[i] != AtomicWriteChild.value(k, i)) {
                fail("checkpoint of write " + k + " has w[" + i + "] = " + w[i] + ", a mixture of writes");
            }
        }
        return k;
    }

    /**
     * The child writes checkpoint k, then CSV k: the CSV holds write k, or k - 1 if the kill came
     * between the two, and is exactly what that write produced.
     */
    private void checkCsv(long checkpointK) throws IOException {
        String text = Files.readString(dir.resolve("log.csv"), StandardCharsets.UTF_8);
        int end = text.lastIndexOf("end,");
        assertTrue(end >= 0, "the CSV has no end row: a partial write");
        long k = Long.parseLong(text.substring(end + 4).strip());
        assertTrue(k == checkpointK || k == checkpointK - 1, "CSV of write " + k + " beside checkpoint " + checkpointK);
        assertEquals(AtomicWriteChild.csv(k), text);
    }

    /**
     * The plot, once written, is a whole PNG: it decodes, at the size History.plot draws two panels
     * (one panel, loss with val_loss: 520 by 44 + 340), and its last chunk is IEND, which a cut-off file lacks.
     */
    private void checkPng() throws IOException {
        Path png = dir.resolve("curves.png");
        if (!Files.exists(png)) {
            return; // killed before the first plot of this folder: no file, which is not a half one
        }
        byte[] bytes = Files.readAllBytes(png);
        byte[] iend = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
        assertArrayEquals(iend, Arrays.copyOfRange(bytes, Math.max(0, bytes.length - 12), bytes.length), "PNG ends with IEND");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(520, image.getWidth());
        assertEquals(44 + 340, image.getHeight());
    }

    private Process start(long first) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AtomicWriteChild.class.getName(), dir.toString(), Long.toString(first));
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }
}
