package dev.tapgrad.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** Two 2×3 images with pixel values 0, 51, ..., 255 and beyond. */
    static byte[] images() {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.putInt(0x803).putInt(2).putInt(2).putInt(3);
        for (int i = 0; i < 12; i++) {
            b.put((byte) (i == 11 ? 255 : i * 20));
        }
        return b.array();
    }

    static byte[] labels() {
        return ByteBuffer.allocate(8 + 3).putInt(0x801).putInt(3).put((byte) 7).put((byte) 0).put((byte) 200).array();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void plainAndGzippedImagesReadTheSame() throws IOException {
        Path plain = dir.resolve("images-idx3-ubyte");
        Path zipped = dir.resolve("images.bin");   // the gzip is found by its bytes, not its name
        Files.write(plain, images());
        Files.write(zipped, gzip(images()));
        for (Path f : new Path[] {plain, zipped}) {
            Tensor t = Idx.readImages(f);
            assertArrayEquals(new int[] {2, 2, 3, 1}, t.shape());
            assertEquals(20 / 255f, t.get(0, 0, 1, 0));
            assertEquals(1f, t.get(1, 1, 2, 0));
            assertEquals(0f, t.get(0, 0, 0, 0));
        }
    }

    @Test
    void labelsFromFilesAndStreams() throws IOException {
        Path f = dir.resolve("labels.gz");
        Files.write(f, gzip(labels()));
        assertArrayEquals(new int[] {7, 0, 200}, Idx.readLabels(f));
        assertArrayEquals(new int[] {7, 0, 200}, Idx.readLabels(new ByteArrayInputStream(labels())));
        assertEquals(2, Idx.readImages(new ByteArrayInputStream(gzip(images()))).dim(0));
    }

    @Test
    void wrongMagicSaysWhatTheFileIs() throws IOException {
        Path f = dir.resolve("labels-idx1-ubyte");
        Files.write(f, labels());
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
        assertEquals("labels-idx1-ubyte: bad magic number 0x00000801 (an IDX label file); expected 0x00000803 for IDX"
                + " images (unsigned bytes, 3 dimensions)", e.getMessage());
        e = assertThrows(IOException.class, () -> Idx.readLabels(new ByteArrayInputStream("hello world".getBytes())));
        assertEquals("IDX label stream: bad magic number 0x68656c6c; expected 0x00000801 for IDX labels (unsigned bytes,"
                + " 1 dimension)", e.getMessage());
    }

    @Test
    void truncatedDataSaysHowMuchIsMissing() throws IOException {
        Path f = dir.resolve("cut.gz");
        Files.write(f, gzip(Arrays.copyOf(images(), 20)));
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
        assertEquals("cut.gz: truncated: the header announces 2 images of 2×3 (12 bytes) but the data ends after 4 bytes",
                e.getMessage());
        e = assertThrows(IOException.class, () -> Idx.readLabels(new ByteArrayInputStream(Arrays.copyOf(labels(), 6))));
        assertEquals("IDX label stream: truncated header, the label count is missing", e.getMessage());
    }
}
