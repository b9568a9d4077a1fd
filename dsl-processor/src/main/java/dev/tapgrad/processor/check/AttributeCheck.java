package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.LayerTypeMessages;
import dev.tapgrad.processor.diag.ModalLayerMessages;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.LayerType.Attribute;
import dev.tapgrad.processor.model.ModelSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * DESIGN §2 rows 6 and 7 (names): attributes that do not apply to a layer, required ones that are
 * missing, values out of range, the model's input shape, and duplicate layer names.
 */
public final class AttributeCheck {
    private AttributeCheck() {}

    /** Reports every attribute problem of every layer. */
    public static Report run(ModelSpec spec) {
        Report r = new Report();
        if (spec.input().isEmpty() || spec.input().stream().anyMatch(d -> d <= 0)) {
            r.error(Tag.LAYER_ATTRIBUTE, spec.inputOrigin(), LayerMessages.badInput(spec.input().toString(),
                    "every dimension must be at least 1, e.g. input = {28, 28, 1} for images or {784} for vectors"));
        }
        Set<String> seen = new HashSet<>();
        for (LayerSpec layer : spec.layers()) {
            if (!seen.add(layer.name())) {
                r.error(Tag.WIRING, layer.origin(), LayerMessages.duplicateLayer(layer.name()));
            }
            check(layer, r);
        }
        return r;
    }

    private static void check(LayerSpec layer, Report r) {
        LayerAttributes a = layer.attributes();
        LayerType type = layer.kind();
        List<String> accepted = type.attributes().stream().map(Attribute::name).toList();
        for (Map.Entry<String, Origin> e : a.explicit().entrySet()) {
            String attr = e.getKey();
            if (attr.equals("inputs")) {
                continue; // wiring is the WiringCheck's
            } else if (!accepted.contains(attr)) {
                r.error(Tag.LAYER_ATTRIBUTE, e.getValue(),
                        LayerMessages.notApplicable(attr, type.simpleName(), layer.name(), accepted));
            }
        }
        for (Attribute attr : type.attributes()) {
            if (!a.explicit().containsKey(attr.name())) {
                if (attr.required()) {
                    r.error(Tag.LAYER_ATTRIBUTE, layer.origin(),
                            LayerMessages.missingAttribute(attr.name(), type.simpleName(), layer.name(), attr.example()));
                }
                continue;
            }
            Object value = attr.value().apply(a);
            switch (attr.rule()) {
                case POSITIVE -> positive(layer, attr.name(), (Integer) value, r);
                case POSITIVE_PAIR -> pair(layer, attr.name(), ints(value), r);
                case POSITIVE_SINGLE -> single(layer, attr.name(), ints(value), r);
                case TARGET_SHAPE -> targetShape(layer, attr.name(), ints(value), r);
                case OPEN_FRACTION -> real(layer, attr.name(), (Double) value, v -> v > 0 && v < 1, ModalLayerMessages.RATE_RULE, r);
                case FRACTION -> real(layer, attr.name(), (Double) value, v -> v >= 0 && v <= 1, ModalLayerMessages.MOMENTUM_RULE, r);
                case POSITIVE_REAL -> real(layer, attr.name(), (Double) value, v -> v > 0, ModalLayerMessages.EPSILON_RULE, r);
                case ANY -> { }
            }
        }
    }

    private static void positive(LayerSpec layer, String attr, int value, Report r) {
        if (value <= 0) {
            r.error(Tag.LAYER_ATTRIBUTE, layer.attributes().originOf(attr, layer.origin()),
                    LayerMessages.badAttribute(attr, layer.name(), Integer.toString(value), "it must be at least 1"));
        }
    }

    /** A pair attribute's value, which {@link Attribute#value} reads as the {@code List<Integer>} javac gave. */
    @SuppressWarnings("unchecked")
    private static List<Integer> ints(Object value) {
        return (List<Integer>) value;
    }

    private static void pair(LayerSpec layer, String attr, List<Integer> values, Report r) {
        Origin at = layer.attributes().originOf(attr, layer.origin());
        if (values.isEmpty() || values.size() > 2) {
            r.error(Tag.LAYER_ATTRIBUTE, at, LayerMessages.badAttribute(attr, layer.name(), values.toString(),
                    "give one value (square) or two, {height, width}"));
        } else if (values.stream().anyMatch(v -> v <= 0)) {
            r.error(Tag.LAYER_ATTRIBUTE, at, LayerMessages.badAttribute(attr, layer.name(),
                    values.size() == 1 ? values.get(0).toString() : values.toString(), "every value must be at least 1"));
        }
    }

    private static void single(LayerSpec layer, String attr, List<Integer> values, Report r) {
        if (values.size() != 1 || values.get(0) <= 0) {
            r.error(Tag.LAYER_ATTRIBUTE, layer.attributes().originOf(attr, layer.origin()), LayerMessages.badAttribute(attr,
                    layer.name(), values.size() == 1 ? values.get(0).toString() : values.toString(),
                    LayerTypeMessages.SINGLE_RULE));
        }
    }

    /** A double attribute that must satisfy {@code ok} (false for NaN, whose comparisons all fail). */
    private static void real(LayerSpec layer, String attr, double value, DoublePredicate ok, String rule, Report r) {
        if (!ok.test(value)) {
            r.error(Tag.LAYER_ATTRIBUTE, layer.attributes().originOf(attr, layer.origin()),
                    LayerMessages.badAttribute(attr, layer.name(), Double.toString(value), rule));
        }
    }

    private static void targetShape(LayerSpec layer, String attr, List<Integer> values, Report r) {
        long inferred = values.stream().filter(v -> v == -1).count();
        if (values.isEmpty() || inferred > 1 || values.stream().anyMatch(v -> v == 0 || v < -1)) {
            r.error(Tag.LAYER_ATTRIBUTE, layer.attributes().originOf(attr, layer.origin()),
                    LayerMessages.badAttribute(attr, layer.name(), values.toString(), LayerTypeMessages.TARGET_SHAPE_RULE));
        }
    }
}
