package dev.tapgrad.runtime.io;

import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link AtomicWriteKillTest}: rewrites a checkpoint, a CSV log and a plot forever,
 * each write's content determined by its counter, and prints the counter after each completed round.
 */
public final class AtomicWriteChild {
    /** Floats in the checkpoint: 4 MB, so that a write takes long enough to be killed inside. */
    static final int SIZE = 1 << 20;
    static final int CSV_ROWS = 20_000;

    private AtomicWriteChild() {}

    /** The value at {@code i} of write {@code k}: every float differs between consecutive writes. */
    static float value(long k, int i) {
        return (float) (k * 31 + i % 1009);
    }

    static List<Parameter> checkpoint(long k) {
        Tensor w = Tensor.zeros(SIZE);
        float[] b = w.buffer();
        for (int i = 0; i < SIZE; i++) {
            b[i] = value(k, i);
        }
        return List.of(new Parameter("step", Tensor.wrap(new float[] {k}, 1)), new Parameter("w", w));
    }

    static String csv(long k) {
        StringBuilder s = new StringBuilder("write,row\n");
        for (int r = 0; r < CSV_ROWS; r++) {
            s.append(k).append(',').append(r).append('\n');
        }
        return s.append("end,").append(k).append('\n').toString();
    }

    /**
     * Writes the CSV in ten pieces 10 ms apart, as a slow disk or a network folder would: most of
     * the loop's time is then inside a write, so most kills land there (the test checks that some
     * do), each piece already in the temporary file when the kill comes.
     */
    private static void writeSlowly(Path file, byte[] bytes) throws IOException {
        AtomicFiles.write(file, out -> {
            int piece = (bytes.length + 9) / 10;
            for (int from = 0; from < bytes.length; from += piece) {
                out.write(bytes, from, Math.min(piece, bytes.length - from));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        });
    }

    /** Two epochs whose values depend on {@code k}, for History.plot. */
    static History history(long k) {
        return History.of(List.of(Map.of("loss", 1.0 + k % 7, "val_loss", 2.0), Map.of("loss", 0.5, "val_loss", 1.0 + k % 5)));
    }

    /** {@code args[0]}: the folder; {@code args[1]}: the first counter. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (long k = Long.parseLong(args[1]); ; k++) {
            Checkpoints.save(dir.resolve("model.safetensors"), checkpoint(k));
            writeSlowly(dir.resolve("log.csv"), csv(k).getBytes(StandardCharsets.UTF_8));
            history(k).plot(dir.resolve("curves.png"));
            System.out.println(k);
            System.out.flush();
        }
    }
}
