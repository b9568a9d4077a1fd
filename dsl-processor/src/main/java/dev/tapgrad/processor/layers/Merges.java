package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.Shape;
import java.util.List;
import java.util.function.BiPredicate;

/** The input check Add and Concatenate share: every input fits the first, and none is a scalar. */
final class Merges {
    private Merges() {}

    /**
     * Whether every input fits the first by {@code fits}; if not, reports all inputs' shapes with
     * {@code rule}, the merge's own wording of what it needs.
     */
    static boolean fit(LayerSpec layer, List<Shape> inputs, List<String> from, Report r,
            BiPredicate<Shape, Shape> fits, String rule) {
        Shape first = inputs.get(0);
        for (Shape s : inputs) {
            if (s.dims().isEmpty() || !fits.test(s, first)) {
                r.error(Tag.LAYER_SHAPE, layer.origin(), LayerMessages.mergeShapes(layer.kind().simpleName(), layer.name(),
                        from, inputs.stream().map(Shape::toString).toList(), rule));
                return false;
            }
        }
        return true;
    }
}
