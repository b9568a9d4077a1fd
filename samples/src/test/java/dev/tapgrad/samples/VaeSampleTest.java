package dev.tapgrad.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vae} sample through the CLI on a short run: per-epoch terms, the PNG, the JSON line. */
class VaeSampleTest {
    @Test
    void trainsPrintsEachTermPerEpochWritesTheGridAndEndsWithJson(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("grid.png");
        MainTest.Run r = MainTest.run("vae", "--epochs", "2", "--limit", "1000", "--grid", "6",
                "--png", png.toString(), "--save", dir.resolve("vae.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 1: -ELBO "), r.out());
        assertTrue(r.out().contains("epoch 2: -ELBO "), r.out());
        assertTrue(r.out().contains(" = reconstruction "), r.out());
        assertTrue(r.out().contains(" + kl "), r.out());
        JsonObject json = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
        assertEquals("vae", json.get("sample").getAsString());
        assertEquals(List.of("reconstruction", "kl"), List.copyOf(json.getAsJsonObject("loss_terms").keySet()));
        assertTrue(json.get("checkpoint_reloaded").getAsBoolean());
        double elbo = json.get("test_elbo").getAsDouble();
        // Untrained, every pixel costs ln 2: -ELBO ≈ 784 · 0.69 = 543; two short epochs get well below that.
        assertTrue(elbo > -500 && elbo < -150, "test ELBO " + elbo);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(6 * 28, image.getWidth());
        assertEquals(6 * 28, image.getHeight());
    }
}
