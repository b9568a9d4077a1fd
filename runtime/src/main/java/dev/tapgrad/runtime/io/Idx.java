package dev.tapgrad.runtime.io;

import dev.tapgrad.runtime.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST, plain or gzipped (told apart by their first two
 * bytes, not by the file name): unsigned-byte images (magic 0x00000803) and labels (0x00000801).
 * Errors are {@link IOException}s whose message names the source and what is wrong.
 *
 * <pre>{@code
 * Tensor x = Idx.readImages(Path.of("train-images-idx3-ubyte.gz"));   // (60000, 28, 28, 1) in [0, 1]
 * int[] labels = Idx.readLabels(Path.of("train-labels-idx1-ubyte.gz"));
 * }</pre>
 */
public final class Idx {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;

    private Idx() {}

    /** Images as (N, rows, cols, 1), each pixel divided by 255 so values lie in [0, 1]. */
    public static Tensor readImages(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.getFileName().toString());
        }
    }

    /** Images from a stream (e.g. a bundled resource); the stream is read to the images' end, not closed. */
    public static Tensor readImages(InputStream in) throws IOException {
        return readImages(in, "IDX image stream");
    }

    /** Class labels, one per example. */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.getFileName().toString());
        }
    }

    /** Labels from a stream (e.g. a bundled resource); the stream is not closed. */
    public static int[] readLabels(InputStream in) throws IOException {
        return readLabels(in, "IDX label stream");
    }

    private static Tensor readImages(InputStream raw, String source) throws IOException {
        InputStream in = open(raw);
        checkMagic(in, IMAGES, "images (unsigned bytes, 3 dimensions)", source);
        int n = readDim(in, source, "image count");
        int rows = readDim(in, source, "rows");
        int cols = readDim(in, source, "columns");
        long total = (long) n * rows * cols;
        if (total > Integer.MAX_VALUE) {
            throw new IOException(source + ": " + n + " images of " + rows + "×" + cols + " are too many for one tensor");
        }
        byte[] bytes = readBody(in, (int) total, source, n + " images of " + rows + "×" + cols);
        float[] data = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (bytes[i] & 0xff) / 255f;
        }
        return Tensor.wrap(data, n, rows, cols, 1);
    }

    private static int[] readLabels(InputStream raw, String source) throws IOException {
        InputStream in = open(raw);
        checkMagic(in, LABELS, "labels (unsigned bytes, 1 dimension)", source);
        int n = readDim(in, source, "label count");
        byte[] bytes = readBody(in, n, source, n + " labels");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = bytes[i] & 0xff;
        }
        return labels;
    }

    /** Unzips when the stream starts with gzip's magic bytes 1f 8b. */
    private static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in)) : in;
    }

    private static void checkMagic(InputStream in, int expected, String kind, String source) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IOException(source + ": file is " + b.length + " bytes, too short for an IDX header");
        }
        int magic = toInt(b);
        if (magic != expected) {
            String found = magic == IMAGES ? " (an IDX image file)" : magic == LABELS ? " (an IDX label file)" : "";
            throw new IOException(String.format("%s: bad magic number 0x%08x%s; expected 0x%08x for IDX %s",
                    source, magic, found, expected, kind));
        }
    }

    private static int readDim(InputStream in, String source, String what) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IOException(source + ": truncated header, the " + what + " is missing");
        }
        int d = toInt(b);
        if (d < 0) {
            throw new IOException(source + ": the " + what + " is negative (" + d + ")");
        }
        return d;
    }

    private static byte[] readBody(InputStream in, int length, String source, String what) throws IOException {
        byte[] bytes = new byte[length];
        int read = in.readNBytes(bytes, 0, length);
        if (read < length) {
            throw new IOException(source + ": truncated: the header announces " + what + " (" + length
                    + " bytes) but the data ends after " + read + " bytes");
        }
        return bytes;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
