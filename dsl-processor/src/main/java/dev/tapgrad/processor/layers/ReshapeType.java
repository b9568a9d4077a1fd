package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.LayerTypeMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code Reshape}: (B, d1, ...) to (B, shape...) in row-major order, Keras's {@code Reshape}: the
 * target is written without the batch and may have one -1, inferred from the input's size. The
 * output is a view of the input's values, so it costs nothing.
 */
public record ReshapeType() implements LayerType {
    @Override
    public String simpleName() {
        return "Reshape";
    }

    @Override
    public List<Attribute> attributes() {
        return List.of(Attribute.required("shape", Rule.TARGET_SHAPE, "shape = {7, 7, 16}", LayerAttributes::shape));
    }

    @Override
    public List<String> parameterNames() {
        return List.of();
    }

    @Override
    public boolean outputViewsInput() {
        return true;
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        LayerAttributes a = layer.attributes();
        Shape in = inputs.get(0);
        List<Integer> target = resolved(a.shape(), in.exampleSize());
        if (target == null) {
            long known = a.shape().stream().mapToLong(Integer::longValue).reduce(1, (x, y) -> x * y);
            r.error(Tag.LAYER_SHAPE, a.originOf("shape", layer.origin()), LayerTypeMessages.reshapeSize(layer.name(),
                    a.shape(), known, LayerType.source(from.get(0)), in.toString(), in.exampleSize()));
            return null;
        }
        return new Shape(true, target);
    }

    /** The target with its -1 replaced so that it holds {@code size} values; null if no such target exists. */
    static List<Integer> resolved(List<Integer> shape, long size) {
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < shape.size(); i++) {
            if (shape.get(i) == -1) {
                unknown = i;
            } else {
                known *= shape.get(i);
            }
        }
        List<Integer> out = new ArrayList<>(shape);
        if (unknown >= 0) {
            if (known == 0 || size % known != 0 || size / known == 0) {
                return null;
            }
            out.set(unknown, (int) (size / known));
            return out;
        }
        return known == size ? out : null;
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        return Map.of();
    }

    /** {@code new Reshape(name, d1, d2, ...)}, every dimension resolved. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.copyOf(resolved(a.shape(), inputs.get(0).exampleSize()));
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
