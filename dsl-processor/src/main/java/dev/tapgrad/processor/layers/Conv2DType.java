package dev.tapgrad.processor.layers;

import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Conv2D}: a 2-D convolution over NHWC images, (B, height, width, channels) to (B, OH, OW,
 * filters) with OH, OW from {@link #outputSize}; kernel (kh, kw, channels, filters), bias
 * (filters). It can compute an L1 or L2 penalty on its output in its own passes.
 */
public record Conv2DType() implements LayerType {
    private static final String EXAMPLE = "filters = 32, kernel = 3";

    @Override
    public String simpleName() {
        return "Conv2D";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(
                Attribute.required("filters", Rule.POSITIVE, EXAMPLE, LayerAttributes::filters),
                Attribute.required("kernel", Rule.POSITIVE_PAIR, EXAMPLE, LayerAttributes::kernel),
                Attribute.optional("strides", Rule.POSITIVE_PAIR, "1", LayerAttributes::strides),
                Attribute.optional("padding", Rule.ANY, "VALID", LayerAttributes::padding),
                Attribute.optional("activation", Rule.ANY, "LINEAR", LayerAttributes::activation));
    }

    @Override
    public List<String> parameterNames() {
        return List.of("kernel", "bias");
    }

    /**
     * The direct kernel's image loops sum a following BatchNorm's statistics as each image is
     * written, and write its dL/dx just before reading it back.
     */
    @Override
    public boolean feedsNormalization() {
        return true;
    }

    /** The direct kernel's passes over the output compute the penalty and its gradient as well. */
    @Override
    public boolean takesOutputPenalty() {
        return true;
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        LayerAttributes a = layer.attributes();
        Shape in = inputs.get(0);
        List<Integer> d = in.dims();
        if (d.size() != 3) {
            r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.layerShape(simpleName(), layer.name(),
                    "images (batch, height, width, channels)", LayerType.source(from.get(0)), in.toString(),
                    d.size() == 1 ? "declare @Model(input = {height, width, channels}) or reshape the data"
                            : "feed it a rank-4 NHWC tensor"));
            return null;
        }
        int oh = outputSize(d.get(0), a.kernelH(), a.strideH(), a.padding());
        int ow = outputSize(d.get(1), a.kernelW(), a.strideW(), a.padding());
        if (oh <= 0 || ow <= 0) {
            r.error(Tag.LAYER_SHAPE, a.originOf("kernel", layer.origin()), LayerMessages.layerShape(simpleName(), layer.name(),
                    "an input at least as large as its " + a.kernelH() + "x" + a.kernelW() + " kernel",
                    LayerType.source(from.get(0)), in.toString(), "use a smaller kernel or padding = SAME"));
            return null;
        }
        return Shape.batch(oh, ow, a.filters());
    }

    /** Keras's output size: VALID {@code (in - k) / s + 1}, SAME {@code ceil(in / s)}; 0 when a VALID kernel does not fit. */
    public static int outputSize(int in, int kernel, int stride, Padding padding) {
        return padding == Padding.SAME ? (in + stride - 1) / stride : in < kernel ? 0 : (in - kernel) / stride + 1;
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("kernel", Shape.fixed(a.kernelH(), a.kernelW(), inputs.get(0).dims().get(2), a.filters()));
        out.put("bias", Shape.fixed(a.filters()));
        return out;
    }

    /** {@code new Conv2D(name, height, width, channels, filters, kh, kw, sh, sw, padding, activation)}. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        List<Integer> in = inputs.get(0).dims();
        return List.of(in.get(0), in.get(1), in.get(2), a.filters(), a.kernelH(), a.kernelW(), a.strideH(),
                a.strideW(), a.padding(), a.activation());
    }

    /** {@code backward(..., gx, accumulate)}: with accumulate false, dL/dx overwrites gx. */
    @Override
    public boolean writesInputGradient() {
        return true;
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
