package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one class that touches XChart: {@link HistoryPlot} loads it only after it found the library.
 * Each panel is an XChart line chart; the panels are laid out in a grid of at most three columns
 * under a title line, and the whole image is written as one PNG.
 */
final class XChartDrawing {
    private static final int PANEL_WIDTH = 520;
    private static final int PANEL_HEIGHT = 340;
    private static final int TITLE_HEIGHT = 44;
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);

    private XChartDrawing() {}

    static void write(List<HistoryPlot.Panel> panels, int epochs, Path png) throws IOException {
        int columns = Math.min(3, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, TITLE_HEIGHT + rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
            String title = String.format(Locale.ROOT, "Training history: %d epoch%s, every loss term and metric per epoch",
                    epochs, epochs == 1 ? "" : "s");
            g.drawString(title, 16, 30);
            for (int i = 0; i < panels.size(); i++) {
                BufferedImage panel = BitmapEncoder.getBufferedImage(chart(panels.get(i), epochs));
                g.drawImage(panel, (i % columns) * PANEL_WIDTH, TITLE_HEIGHT + (i / columns) * PANEL_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("this JVM has no PNG writer (javax.imageio)");
            }
        });
    }

    private static XYChart chart(HistoryPlot.Panel panel, int epochs) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(panel.title())
                .xAxisTitle("epoch").yAxisTitle(panel.key()).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        // the legend goes in the corner the curves leave free: top right for a falling curve (a
        // loss), bottom right for a rising one (an accuracy)
        s.setLegendPosition(rising(panel) ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAntiAlias(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.####");
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setMarkerSize(6);
        // whole epochs only: one tick per epoch up to 20 epochs, XChart's spacing beyond
        if (epochs <= 20) {
            chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(20, (PANEL_WIDTH - 100) / Math.max(1, epochs)));
        }
        if (epochs == 1) {
            chart.getStyler().setXAxisMin(0.5).setXAxisMax(1.5);
        }
        double[] x = IntStream.rangeClosed(1, epochs).asDoubleStream().toArray();
        if (panel.train() != null) {
            series(chart, "train", x, panel.train(), TRAIN);
        }
        if (panel.validation() != null) {
            series(chart, "validation", x, panel.validation(), VALIDATION);
        }
        return chart;
    }

    private static boolean rising(HistoryPlot.Panel panel) {
        List<Double> v = panel.train() != null ? panel.train() : panel.validation();
        return v.size() > 1 && v.get(v.size() - 1) > v.get(0);
    }

    private static void series(XYChart chart, String name, double[] x, List<Double> values, Color color) {
        double[] y = values.stream().mapToDouble(Double::doubleValue).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(new BasicStroke(2f));
    }
}
