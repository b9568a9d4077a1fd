package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.LayerTypeMessages;
import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.List;
import java.util.Map;

/**
 * What {@link MaxPool2DType} and {@link AvgPool2DType} share: (B, height, width, channels) to (B,
 * OH, OW, channels) with Keras's {@code pool} ({2, 2}), {@code strides} (= pool) and {@code
 * padding}; output sizes as {@link Conv2DType#outputSize}; no parameters.
 */
interface Pool2DRules extends LayerType {
    @Override
    default List<Attribute> attributes() {
        return List.of(
                Attribute.optional("pool", Rule.POSITIVE_PAIR, "2", LayerAttributes::pool),
                Attribute.optional("strides", Rule.POSITIVE_PAIR, "the pool", LayerAttributes::strides),
                Attribute.optional("padding", Rule.ANY, "VALID", LayerAttributes::padding));
    }

    @Override
    default List<String> parameterNames() {
        return List.of();
    }

    @Override
    default Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
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
        List<Integer> w = window(a);
        int oh = Conv2DType.outputSize(d.get(0), w.get(0), w.get(2), a.padding());
        int ow = Conv2DType.outputSize(d.get(1), w.get(1), w.get(3), a.padding());
        if (oh <= 0 || ow <= 0) {
            r.error(Tag.LAYER_SHAPE, a.originOf("pool", layer.origin()), LayerTypeMessages.windowTooLarge(simpleName(),
                    layer.name(), "pool", w.subList(0, 2), LayerType.source(from.get(0)), in.toString()));
            return null;
        }
        return Shape.batch(oh, ow, d.get(2));
    }

    /** {poolH, poolW, strideH, strideW} with Keras's defaults: pool 2, strides the pool. */
    static List<Integer> window(LayerAttributes a) {
        List<Integer> p = a.pool();
        int ph = p.isEmpty() ? 2 : p.get(0);
        int pw = p.isEmpty() ? 2 : p.get(p.size() > 1 ? 1 : 0);
        List<Integer> s = a.strides();
        return List.of(ph, pw, s.isEmpty() ? ph : s.get(0), s.isEmpty() ? pw : s.get(s.size() > 1 ? 1 : 0));
    }

    @Override
    default Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        return Map.of();
    }

    /** {@code new MaxPool2D(name, height, width, channels, poolH, poolW, strideH, strideW, padding)}. */
    @Override
    default List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        List<Integer> in = inputs.get(0).dims();
        List<Integer> w = window(a);
        return List.of(in.get(0), in.get(1), in.get(2), w.get(0), w.get(1), w.get(2), w.get(3), a.padding());
    }
}
