package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.History;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryPlotTest {
    @TempDir
    Path dir;

    /** Three epochs of a model with two terms and a metric, with validation. */
    static History history(double shift) {
        List<Map<String, Double>> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            Map<String, Double> r = new LinkedHashMap<>();
            r.put("loss", 0.9 - 0.2 * e + shift);
            r.put("categorical_crossentropy", 0.8 - 0.2 * e + shift);
            r.put("sparsity", 2.0 + 0.1 * e);
            r.put("accuracy", 0.6 + 0.1 * e);
            r.put("val_loss", 1.0 - 0.15 * e + shift);
            r.put("val_categorical_crossentropy", 0.9 - 0.15 * e + shift);
            r.put("val_sparsity", 2.1 + 0.1 * e);
            r.put("val_accuracy", 0.55 + 0.1 * e);
            epochs.add(r);
        }
        return History.of(epochs);
    }

    @Test
    void oneTrainAndValidationPanelPerKey() {
        List<HistoryPlot.Panel> panels = HistoryPlot.panels(history(0));
        assertEquals(List.of("loss", "categorical_crossentropy", "sparsity", "accuracy"),
                panels.stream().map(HistoryPlot.Panel::key).toList());
        assertEquals(List.of(2.0, 2.1, 2.2), panels.get(2).train().stream().map(v -> Math.round(v * 10) / 10.0).toList());
        assertEquals(List.of(0.55, 0.65, 0.75), panels.get(3).validation().stream().map(v -> Math.round(v * 100) / 100.0).toList());
        assertEquals("loss (weighted total of the terms)", panels.get(0).title());

        List<Map<String, Double>> noValidation = List.of(Map.of("loss", 1.0), Map.of("loss", 0.5));
        HistoryPlot.Panel only = HistoryPlot.panels(History.of(noValidation)).get(0);
        assertNull(only.validation());
    }

    /**
     * The PNG is a grid of 3 columns (4 panels: 2 rows) under a title line, and every panel shows
     * both curves: pixels of the training colour and of the validation colour in each panel.
     */
    @Test
    void thePngHasEveryPanelWithBothCurves() throws IOException {
        Path png = dir.resolve("curves.png");
        history(0).plot(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(3 * 520, image.getWidth());
        assertEquals(44 + 2 * 340, image.getHeight());
        for (int panel = 0; panel < 4; panel++) {
            int x0 = (panel % 3) * 520;
            int y0 = 44 + (panel / 3) * 340;
            assertTrue(count(image, x0, y0, 0x1f77b4) > 50, "panel " + panel + " has the training curve");
            assertTrue(count(image, x0, y0, 0xff7f0e) > 50, "panel " + panel + " has the validation curve");
        }
        // the empty sixth cell stays white
        assertEquals(0, count(image, 2 * 520, 44 + 340, 0x1f77b4));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left");
        }
    }

    private static int count(BufferedImage image, int x0, int y0, int rgb) {
        int n = 0;
        for (int y = y0; y < y0 + 340; y++) {
            for (int x = x0; x < x0 + 520; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void anEmptyHistoryOrAMissingFolderIsAClearErrorAndWritesNothing() throws IOException {
        Path png = dir.resolve("none.png");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> History.of(List.of()).plot(png));
        assertEquals("History has no epochs, so there is nothing to plot to " + png, e.getMessage());
        Path nowhere = dir.resolve("missing/curves.png");
        IOException io = assertThrows(IOException.class, () -> history(0).plot(nowhere));
        assertTrue(io.getMessage().contains("does not exist; create it first"), io.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aPlotReplacesTheOldOneWhole() throws IOException {
        Path png = dir.resolve("curves.png");
        history(0).plot(png);
        byte[] first = Files.readAllBytes(png);
        history(0.3).plot(png);
        byte[] second = Files.readAllBytes(png);
        assertFalse(java.util.Arrays.equals(first, second), "the second plot has other values");
        assertTrue(ImageIO.read(png.toFile()) != null);
    }

    /** Without XChart on the class path plot names the dependency to add, and writes nothing. */
    @Test
    void withoutXChartTheErrorNamesTheDependency() throws Exception {
        URL runtimeClasses = HistoryPlot.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader runtimeOnly = new URLClassLoader(new URL[] {runtimeClasses}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.knowm.xchart.XYChart", false, runtimeOnly),
                    "the isolated loader must not see XChart, or this test proves nothing");
            Class<?> history = Class.forName(History.class.getName(), true, runtimeOnly);
            Object h = history.getMethod("of", List.class).invoke(null, List.of(Map.of("loss", 1.0)));
            Method plot = history.getMethod("plot", Path.class);
            Path png = dir.resolve("curves.png");
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> plot.invoke(h, png));
            assertEquals(IllegalStateException.class, e.getCause().getClass());
            assertEquals("History.plot draws with XChart, which is not on the class path: add the dependency"
                    + " org.knowm.xchart:xchart:4.0.3 (Maven: <groupId>org.knowm.xchart</groupId><artifactId>xchart"
                    + "</artifactId><version>4.0.3</version>) to plot " + png, e.getCause().getMessage());
            assertFalse(Files.exists(png));
        }
    }
}
