package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.Messages;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerKind;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
            r.error(Tag.LAYER_ATTRIBUTE, spec.inputOrigin(), Messages.badInput(spec.input().toString(),
                    "every dimension must be at least 1, e.g. input = {28, 28, 1} for images or {784} for vectors"));
        }
        Set<String> seen = new HashSet<>();
        for (LayerSpec layer : spec.layers()) {
            if (!seen.add(layer.name())) {
                r.error(Tag.WIRING, layer.origin(), Messages.duplicateLayer(layer.name()));
            }
            check(layer, r);
        }
        return r;
    }

    private static void check(LayerSpec layer, Report r) {
        LayerAttributes a = layer.attributes();
        LayerKind kind = layer.kind();
        for (Map.Entry<String, Origin> e : a.explicit().entrySet()) {
            String attr = e.getKey();
            if (attr.equals("inputs")) {
                continue; // wiring is the WiringCheck's
            } else if (!kind.attributes().contains(attr)) {
                r.error(Tag.LAYER_ATTRIBUTE, e.getValue(),
                        Messages.notApplicable(attr, kind.simpleName(), layer.name(), kind.attributes()));
            }
        }
        switch (kind) {
            case DENSE -> positive(layer, "units", a.units(), "units = 64", r);
            case LSTM -> positive(layer, "units", a.units(), "units = 64, returnSequences = true", r);
            case CONV2D -> {
                positive(layer, "filters", a.filters(), "filters = 32, kernel = 3", r);
                if (!a.explicit().containsKey("kernel")) {
                    r.error(Tag.LAYER_ATTRIBUTE, layer.origin(),
                            Messages.missingAttribute("kernel", kind.simpleName(), layer.name(), "filters = 32, kernel = 3"));
                } else {
                    pair(layer, "kernel", a.kernel(), r);
                }
                if (a.explicit().containsKey("strides")) {
                    pair(layer, "strides", a.strides(), r);
                }
            }
            case FLATTEN, ADD, CONCATENATE -> { }
        }
    }

    private static void positive(LayerSpec layer, String attr, int value, String example, Report r) {
        LayerAttributes a = layer.attributes();
        if (!a.explicit().containsKey(attr)) {
            r.error(Tag.LAYER_ATTRIBUTE, layer.origin(),
                    Messages.missingAttribute(attr, layer.kind().simpleName(), layer.name(), example));
        } else if (value <= 0) {
            r.error(Tag.LAYER_ATTRIBUTE, a.originOf(attr, layer.origin()),
                    Messages.badAttribute(attr, layer.name(), Integer.toString(value), "it must be at least 1"));
        }
    }

    private static void pair(LayerSpec layer, String attr, List<Integer> values, Report r) {
        Origin at = layer.attributes().originOf(attr, layer.origin());
        if (values.isEmpty() || values.size() > 2) {
            r.error(Tag.LAYER_ATTRIBUTE, at, Messages.badAttribute(attr, layer.name(), values.toString(),
                    "give one value (square) or two, {height, width}"));
        } else if (values.stream().anyMatch(v -> v <= 0)) {
            r.error(Tag.LAYER_ATTRIBUTE, at, Messages.badAttribute(attr, layer.name(),
                    values.size() == 1 ? values.get(0).toString() : values.toString(), "every value must be at least 1"));
        }
    }
}
