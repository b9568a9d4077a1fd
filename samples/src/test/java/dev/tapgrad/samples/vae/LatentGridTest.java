package dev.tapgrad.samples.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vae sample's latent grid: the points (Keras's plot_latent_space), the tiling, the atomic PNG write. */
class LatentGridTest {
    @Test
    void thePointsRunLeftToRightAndBottomToTopAsKerasPlotsThem() {
        Tensor z = LatentGrid.points(3, 2.0);
        assertEquals(List.of(9, 2), List.of(z.dim(0), z.dim(1)));
        float[] v = z.toArray();
        // top-left is (-2, 2), top-right (2, 2), bottom-left (-2, -2); the middle is the origin
        assertEquals(List.of(-2f, 2f), List.of(v[0], v[1]));
        assertEquals(List.of(2f, 2f), List.of(v[4], v[5]));
        assertEquals(List.of(-2f, -2f), List.of(v[12], v[13]));
        assertEquals(List.of(0f, 0f), List.of(v[8], v[9]));
        assertThrows(IllegalArgumentException.class, () -> LatentGrid.points(1, 1.0));
    }

    @Test
    void eachImageLandsInItsTile() {
        Tensor images = Tensor.zeros(4, 784);
        images.buffer()[3 * 784 + 5 * 28 + 7] = 1f; // image 3 (bottom right), row 5, column 7
        images.buffer()[0] = 0.5f;                  // image 0, its first pixel
        BufferedImage tiled = LatentGrid.tile(images, 2);
        assertEquals(255, tiled.getRaster().getSample(28 + 7, 28 + 5, 0));
        assertEquals(128, tiled.getRaster().getSample(0, 0, 0));
        assertEquals(0, tiled.getRaster().getSample(7, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> LatentGrid.tile(Tensor.zeros(3, 784), 2));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("grid.png");
        LatentGrid.write(LatentGrid.tile(Tensor.zeros(4, 784), 2), png);
        byte[] before = Files.readAllBytes(png);
        IOException e = assertThrows(IOException.class, () -> dev.tapgrad.runtime.io.AtomicFiles.write(png, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(png)), "the previous PNG is intact");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
        }
        LatentGrid.write(LatentGrid.tile(Tensor.zeros(9, 784), 3), png);
        assertEquals(3 * 28, ImageIO.read(png.toFile()).getWidth(), "a later write replaces it");
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(png)));
    }
}
