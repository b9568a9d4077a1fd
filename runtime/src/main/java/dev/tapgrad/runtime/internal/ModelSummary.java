package dev.tapgrad.runtime.internal;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.layers.AbstractLayer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The table of {@link dev.tapgrad.runtime.TrainableModel#summary()}, laid out as Keras's {@code
 * model.summary()}, with a column Keras has no use for: the auxiliary losses that tap each layer
 * (with their weights, and the parameter when the tap reads one). Parameter counts are the layers'
 * own parameter and state sizes; the non-trainable ones are the state (BatchNorm's moving
 * statistics), as Keras counts them.
 */
final class ModelSummary {
    private static final String[] HEADERS = {"Layer (type)", "Output Shape", "Param #", "Aux losses (weight)"};

    private ModelSummary() {}

    /** The table for {@code spec}; its layers must exist (their parameters are counted). */
    static String of(GraphSpec spec) {
        List<String[]> rows = new ArrayList<>();
        long trainable = 0;
        long nonTrainable = 0;
        for (AbstractLayer layer : spec.layers) {
            long own = count(layer.parameters());
            long state = count(layer.state());
            trainable += own;
            nonTrainable += state;
            int[] out = spec.layerOutputs.get(layer.name());
            rows.add(new String[] {
                layer.name() + " (" + layer.getClass().getSimpleName() + ")",
                out == null ? "?" : shape(out),
                grouped(own + state),
                auxLossesOn(spec, layer.name())
            });
        }
        int[] width = new int[HEADERS.length];
        for (int c = 0; c < width.length; c++) {
            width[c] = HEADERS[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("Model: \"").append(spec.modelName).append("\"\n");
        String header = row(HEADERS, width);
        int total = header.length();
        for (String[] r : rows) {
            total = Math.max(total, row(r, width).length());
        }
        s.append("_".repeat(total)).append('\n');
        s.append(header).append('\n');
        s.append("=".repeat(total)).append('\n');
        for (String[] r : rows) {
            s.append(row(r, width)).append('\n');
        }
        s.append("=".repeat(total)).append('\n');
        s.append("Total params: ").append(grouped(trainable + nonTrainable)).append('\n');
        s.append("Trainable params: ").append(grouped(trainable)).append('\n');
        s.append("Non-trainable params: ").append(grouped(nonTrainable)).append('\n');
        s.append("Loss: ").append(lossFormula(spec)).append('\n');
        s.append("_".repeat(total)).append('\n');
        return s.toString();
    }

    /** One row: a space, then the columns left-aligned, except the counts, right-aligned; no trailing blanks. */
    private static String row(String[] cells, int[] width) {
        StringBuilder s = new StringBuilder(" ");
        for (int c = 0; c < cells.length; c++) {
            boolean right = c == 2;
            String pad = " ".repeat(width[c] - cells[c].length());
            s.append(right ? pad + cells[c] : cells[c] + pad);
            if (c < cells.length - 1) {
                s.append("   ");
            }
        }
        return s.toString().stripTrailing();
    }

    private static long count(List<Parameter> params) {
        long n = 0;
        for (Parameter p : params) {
            n += p.value().size();
        }
        return n;
    }

    /** {@code (None, 26, 26, 32)}: the batch is {@code None}, as Keras prints it. */
    private static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(String::valueOf).collect(Collectors.joining(", ", "(None" + (dims.length > 0 ? ", " : ""), ")"));
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String weight(double w) {
        return BigDecimal.valueOf(w).stripTrailingZeros().toPlainString();
    }

    /** {@code sparsity (0.01)} for a tap of the layer's output, {@code decay (0.001) on kernel} for a parameter. */
    private static String auxLossesOn(GraphSpec spec, String layer) {
        List<String> on = new ArrayList<>();
        for (int i = 0; i < spec.auxTerms.size(); i++) {
            for (String tap : spec.auxTaps.get(i)) {
                int dot = tap.indexOf('.');
                String tapped = dot < 0 ? tap : tap.substring(0, dot);
                if (tapped.equals(layer)) {
                    on.add(spec.auxTerms.get(i) + " (" + weight(spec.auxWeights.get(i)) + ")"
                            + (dot < 0 ? "" : " on " + tap.substring(dot + 1)));
                }
            }
        }
        return String.join(", ", on);
    }

    /** {@code categorical_crossentropy + 0.01 * sparsity}: the total the training minimises. */
    private static String lossFormula(GraphSpec spec) {
        StringBuilder s = new StringBuilder(spec.mainTerm == null ? "?" : spec.mainTerm);
        for (int i = 0; i < spec.auxTerms.size(); i++) {
            double w = spec.auxWeights.get(i);
            s.append(w < 0 ? " - " : " + ").append(Math.abs(w) == 1.0 ? "" : weight(Math.abs(w)) + " * ")
                    .append(spec.auxTerms.get(i));
        }
        return s.toString();
    }
}
