package dev.tapgrad.processor.check;

import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.Messages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerKind;
import dev.tapgrad.processor.model.Wiring;
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

    /** Inferred shapes and wiring, or null when the wiring or a layer's shapes are wrong (reported). */
    public static GraphShapes run(ModelSpec spec, Report r) {
        Wiring wiring = WiringCheck.run(spec, r);
        if (wiring == null) {
            return null;
        }
        Map<String, List<Shape>> inputs = new HashMap<>();
        Map<String, Shape> outputs = new HashMap<>();
        Map<String, Shape> params = new HashMap<>();
        outputs.put(LayerSpec.MODEL_INPUT, spec.inputShape());
        for (String name : wiring.order()) {
            LayerSpec layer = spec.layer(name).orElseThrow();
            List<String> from = wiring.inputsOf().get(name);
            List<Shape> in = from.stream().map(outputs::get).toList();
            inputs.put(name, in);
            Shape out = layer.kind().merges()
                    ? merged(layer, in, from, r)
                    : outputOf(layer, in.get(0), from.get(0).equals(LayerSpec.MODEL_INPUT) ? "the input" : from.get(0), r, params);
            if (out == null) {
                return null;
            }
            outputs.put(name, out);
        }
        outputs.remove(LayerSpec.MODEL_INPUT);
        return new GraphShapes(inputs, outputs, params, wiring);
    }

    /** Add needs equal shapes; Concatenate equal leading dimensions; both give their output shape. */
    private static Shape merged(LayerSpec layer, List<Shape> in, List<String> from, Report r) {
        Shape first = in.get(0);
        int last = 0;
        for (int k = 0; k < in.size(); k++) {
            Shape s = in.get(k);
            boolean fits = layer.kind() == LayerKind.ADD
                    ? s.equals(first)
                    : s.rank() == first.rank() && s.dims().subList(0, s.dims().size() - 1)
                            .equals(first.dims().subList(0, first.dims().size() - 1));
            if (!fits || s.dims().isEmpty()) {
                r.error(Tag.LAYER_SHAPE, layer.origin(), Messages.mergeShapes(layer.kind().simpleName(), layer.name(),
                        from, in.stream().map(Shape::toString).toList(), layer.kind() == LayerKind.ADD
                                ? "Add needs inputs of one shape" : "Concatenate joins the last axis and needs the other axes equal"));
                return null;
            }
            last += s.dims().get(s.dims().size() - 1);
        }
        if (layer.kind() == LayerKind.ADD) {
            return first;
        }
        List<Integer> dims = new java.util.ArrayList<>(first.dims().subList(0, first.dims().size() - 1));
        dims.add(last);
        return new Shape(true, dims);
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
            case LSTM -> {
                if (d.size() != 2) {
                    r.error(Tag.LAYER_SHAPE, layer.origin(), Messages.layerShape("Lstm", layer.name(),
                            "sequences (batch, steps, features)", from, in.toString(),
                            d.size() == 1 ? "declare @Model(input = {steps, features}), e.g. {100, 1}"
                                    : "flatten each step's features first"));
                    return null;
                }
                int u = a.units();
                params.put(layer.parameterName("kernel"), Shape.fixed(d.get(1), 4 * u));
                params.put(layer.parameterName("recurrent_kernel"), Shape.fixed(u, 4 * u));
                params.put(layer.parameterName("bias"), Shape.fixed(4 * u));
                return a.returnSequences() ? Shape.batch(d.get(0), u) : Shape.batch(u);
            }
            case FLATTEN -> {
                return Shape.batch((int) in.exampleSize());
            }
            default -> throw new IllegalStateException("no single-input shape rule for " + layer.kind());
        }
    }

    /** Keras's output size: VALID {@code (in - k) / s + 1}, SAME {@code ceil(in / s)}. */
    static int outputSize(int in, int kernel, int stride, Padding padding) {
        return padding == Padding.SAME ? (in + stride - 1) / stride : in < kernel ? 0 : (in - kernel) / stride + 1;
    }
}
