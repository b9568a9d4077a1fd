package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.ModelMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.ClassForm;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;

/** DESIGN §2 row 8: the generated {@code MGraph} must be able to extend and construct the model class. */
public final class ModelFormCheck {
    private ModelFormCheck() {}

    /** Reports class modifiers, nesting, constructors and layer fields the subclass cannot use. */
    public static Report run(ModelSpec spec) {
        Report r = new Report();
        ClassForm f = spec.form();
        String name = spec.simpleName();
        if (f.isInterfaceOrEnum()) {
            r.error(Tag.MODEL_FORM, f.origin(), ModelMessages.notAClass(name));
            return r;
        }
        if (f.isPrivate()) {
            r.error(Tag.MODEL_FORM, f.origin(), ModelMessages.classPrivate(name));
        }
        if (f.isFinal()) {
            r.error(Tag.MODEL_FORM, f.origin(), ModelMessages.classFinal(name));
        }
        if (f.isInnerNonStatic()) {
            r.error(Tag.MODEL_FORM, f.origin(), ModelMessages.classInner(name));
        } else if (f.isNested()) {
            r.error(Tag.MODEL_FORM, f.origin(), ModelMessages.classNested(name));
        }
        if (!f.hasAccessibleNoArgConstructor()) {
            r.error(Tag.MODEL_FORM, f.origin(), ModelMessages.noConstructor(name));
        }
        for (String field : f.finalOrPrivateLayerFields()) {
            r.error(Tag.MODEL_FORM,
                    spec.layer(field).map(LayerSpec::origin).orElse(f.origin()), ModelMessages.layerFieldForm(field));
        }
        if (spec.layers().isEmpty()) {
            r.error(Tag.MODEL_FORM, spec.origin(), LayerMessages.noLayers(name));
        }
        return r;
    }
}
