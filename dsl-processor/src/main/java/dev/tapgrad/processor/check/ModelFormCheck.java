package dev.tapgrad.processor.check;

import dev.tapgrad.processor.codegen.Names;
import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.ModelMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.ClassForm;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
        for (String field : f.staticLayerFields()) {
            r.error(Tag.MODEL_FORM,
                    spec.layer(field).map(LayerSpec::origin).orElse(f.origin()), ModelMessages.staticLayerField(field));
        }
        clashes(spec, r);
        if (spec.layers().isEmpty()) {
            r.error(Tag.MODEL_FORM, spec.origin(), LayerMessages.noLayers(name));
        }
        return r;
    }

    /**
     * A member of the model named like one the generated graph declares: javac would report it inside
     * generated code ("cannot override"), or the graph would silently hide it. Abstract methods named
     * like TrainableModel's are the exception: the graph implements them, as intended.
     */
    private static void clashes(ModelSpec spec, Report r) {
        Map<String, String> generated = Names.generatedMembers(spec);
        Set<String> reported = new HashSet<>();
        for (ClassForm.Member m : spec.form().members()) {
            String what = generated.get(m.name());
            boolean implemented = m.kind() == ClassForm.MemberKind.METHOD && m.isAbstract() && Names.API.contains(m.name());
            boolean layerField = m.kind() == ClassForm.MemberKind.FIELD && spec.layer(m.name()).isPresent();
            // layer fields named like generated ones are the wiring check's (Names.conflict), reported there
            if (what != null && !implemented && !layerField && reported.add(m.kind() + " " + m.name() + " " + m.owner())) {
                r.error(Tag.MODEL_FORM, m.origin(),
                        ModelMessages.memberClash(spec.simpleName(), m.kind().word(), m.name(), m.owner(), what));
            }
        }
    }
}
