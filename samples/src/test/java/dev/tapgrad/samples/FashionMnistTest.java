package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    private static FashionMnist.Data bundled;

    @BeforeAll
    static void load() throws IOException {
        bundled = FashionMnist.bundled();
    }

    @Test
    void bundledSubsetHasTheDocumentedCountsAndShapes() {
        assertArrayEquals(new int[] {10_000, 28, 28, 1}, bundled.train().images().shape());
        assertArrayEquals(new int[] {2_000, 28, 28, 1}, bundled.test().images().shape());
        assertEquals(10_000, bundled.train().size());
        assertEquals(2_000, bundled.test().size());
        assertArrayEquals(new int[] {10_000, 10}, bundled.train().oneHot().shape());
        assertEquals(10_000, bundled.train().dataset().size());
    }

    @Test
    void bundledSubsetIsClassBalanced() {
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        int[] twoHundred = new int[10];
        Arrays.fill(twoHundred, 200);
        assertArrayEquals(thousand, bundled.train().classCounts());
        assertArrayEquals(twoHundred, bundled.test().classCounts());
    }

    @Test
    void pixelsAreScaledToUnitRangeAndNotBlank() {
        float[] px = bundled.test().images().toArray();
        double sum = 0;
        for (float v : px) {
            assertTrue(v >= 0 && v <= 1, "pixel outside [0, 1]: " + v);
            sum += v;
        }
        // Fashion-MNIST's mean pixel is about 0.29; a wrong offset or scale would miss it widely.
        double mean = sum / px.length;
        assertTrue(mean > 0.2 && mean < 0.4, "mean pixel " + mean);
    }

    @Test
    void oneHotMatchesTheLabels() {
        float[] y = bundled.test().oneHot().toArray();
        int[] labels = bundled.test().labels();
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(c == labels[i] ? 1f : 0f, y[i * 10 + c]);
            }
        }
    }

    @Test
    void firstKeepsOrderAndShape() {
        FashionMnist.Split head = bundled.train().first(5);
        assertArrayEquals(new int[] {5, 28, 28, 1}, head.images().shape());
        assertArrayEquals(Arrays.copyOf(bundled.train().labels(), 5), head.labels());
        assertArrayEquals(Arrays.copyOf(bundled.train().images().toArray(), 5 * 784), head.images().toArray());
        assertEquals(10_000, bundled.train().first(20_000).size());
    }

    @Test
    void folderWithPlainAndGzippedFilesReadsLikeTheBundledOne(@TempDir Path dir) throws IOException {
        // Two files gzipped and two plain: --data accepts either form per file.
        for (int i = 0; i < 4; i++) {
            String name = FashionMnist.FILE_NAMES.get(i);
            try (InputStream in = FashionMnist.class.getResourceAsStream("/dev/tapgrad/samples/fashion-mnist/" + name + ".gz")) {
                if (i % 2 == 0) {
                    Files.copy(in, dir.resolve(name + ".gz"));
                } else {
                    Files.copy(new GZIPInputStream(in), dir.resolve(name));
                }
            }
        }
        FashionMnist.Data fromDir = FashionMnist.fromFolder(dir);
        assertArrayEquals(bundled.train().labels(), fromDir.train().labels());
        assertArrayEquals(bundled.test().images().toArray(), fromDir.test().images().toArray());
    }

    @Test
    void folderMissingFilesNamesTheFolderAndTheExpectedFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("train-images-idx3-ubyte"), "");
        FashionMnist.MissingFilesException e =
                assertThrows(FashionMnist.MissingFilesException.class, () -> FashionMnist.fromFolder(dir));
        String m = e.getMessage();
        assertTrue(m.contains(dir.toAbsolutePath().toString()), m);
        assertTrue(m.contains("lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte;"), m);
        assertTrue(m.contains(".gz"), m);
    }
}
