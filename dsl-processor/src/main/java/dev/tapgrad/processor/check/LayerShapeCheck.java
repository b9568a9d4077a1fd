package dev.tapgrad.processor.check;

import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.Messages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN §2 row 4: infers every layer's output shape from the model input, in declaration order,
 * and reports a layer that cannot take its input with the shapes and the fix.
 */
public final class LayerShapeCheck {
    private LayerShapeCheck() {}

    /** Inferred shapes, or null when a layer cannot take its input (then the report says why). */
    public static GraphShapes run(ModelSpec spec, Report r) {
        Map<String, Shape> inputs = new HashMap<>();
        Map<String, Shape> outputs = new HashMap<>();
        Map<String, Shape> params = new HashMap<>();
        Shape current = spec.inputShape();
        String from = "the input";
        for (LayerSpec layer : spec.layers()) {
            inputs.put(layer.name(), current);
            Shape out = outputOf(layer, current, from, r, params);
            if (out == null) {
                return null;
            }
            outputs.put(layer.name(), out);
            current = out;
            from = layer.name();
        }
        return new GraphShapes(inputs, outputs, params, from);
    }

    private static Shape outputOf(LayerSpec layer, Shape in, String from, Report r, Map<String, Shape> params) {
        LayerAttributes a = layer.attributes();
        List<Integer> d = in.dims();
        switch (layer.kind()) {
            case DENSE -> {
                if (d.size() != 1 && d.size() != 2) {
                    r.error(Tag.LAYER_SHAPE, layer.origin(), Messages.layerShape("Dense", layer.name(),
                            "(batch, features) or (batch, steps, features)", from, in.toString(),
                            "add a Flatten before " + layer.name()));
                    return null;
                }
                int features = d.get(d.size() - 1);
                params.put(layer.parameterName("kernel"), Shape.fixed(features, a.units()));
                params.put(layer.parameterName("bias"), Shape.fixed(a.units()));
                return d.size() == 1 ? Shape.batch(a.units()) : Shape.batch(d.get(0), a.units());
            }
            case CONV2D -> {
                if (d.size() != 3) {
                    r.error(Tag.LAYER_SHAPE, layer.origin(), Messages.layerShape("Conv2D", layer.name(),
                            "images (batch, height, width, channels)", from, in.toString(),
                            d.size() == 1 ? "declare @Model(input = {height, width, channels}) or reshape the data"
                                    : "feed it a rank-4 NHWC tensor"));
                    return null;
                }
                int oh = outputSize(d.get(0), a.kernelH(), a.strideH(), a.padding());
                int ow = outputSize(d.get(1), a.kernelW(), a.strideW(), a.padding());
                if (oh <= 0 || ow <= 0) {
                    r.error(Tag.LAYER_SHAPE, a.originOf("kernel", layer.origin()), Messages.layerShape("Conv2D", layer.name(),
                            "an input at least as large as its " + a.kernelH() + "x" + a.kernelW() + " kernel", from,
                            in.toString(), "use a smaller kernel or padding = SAME"));
                    return null;
                }
                params.put(layer.parameterName("kernel"), Shape.fixed(a.kernelH(), a.kernelW(), d.get(2), a.filters()));
                params.put(layer.parameterName("bias"), Shape.fixed(a.filters()));
                return Shape.batch(oh, ow, a.filters());
            }
            case FLATTEN -> {
                return Shape.batch((int) in.exampleSize());
            }
            default -> throw new IllegalStateException("no shape rule for " + layer.kind());
        }
    }

    /** Keras's output size: VALID {@code (in - k) / s + 1}, SAME {@code ceil(in / s)}. */
    static int outputSize(int in, int kernel, int stride, Padding padding) {
        return padding == Padding.SAME ? (in + stride - 1) / stride : in < kernel ? 0 : (in - kernel) / stride + 1;
    }
}
