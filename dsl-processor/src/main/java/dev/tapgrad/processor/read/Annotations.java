package dev.tapgrad.processor.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * Reads annotation values from mirrors, keeping each value's {@link AnnotationValue} so that
 * diagnostics can point at the exact value, and telling explicitly written values from defaults.
 */
final class Annotations {
    private Annotations() {}

    /** The mirror of the annotation with this qualified name on {@code e}, or null. */
    static AnnotationMirror find(Element e, String qualifiedName) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(qualifiedName)) {
                return m;
            }
        }
        return null;
    }

    /** Explicitly written values by attribute name, in source order. */
    static Map<String, AnnotationValue> explicit(AnnotationMirror m) {
        Map<String, AnnotationValue> out = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
            out.put(e.getKey().getSimpleName().toString(), e.getValue());
        }
        return out;
    }

    /** The elements of an array value (a single value written without braces is a one-element list). */
    static List<AnnotationValue> items(AnnotationValue v) {
        List<AnnotationValue> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.getValue() instanceof List<?> list) {
            for (Object o : list) {
                out.add((AnnotationValue) o);
            }
        } else {
            out.add(v);
        }
        return out;
    }

    /** Integers of an int-array value. */
    static List<Integer> ints(AnnotationValue v) {
        List<Integer> out = new ArrayList<>();
        for (AnnotationValue item : items(v)) {
            if (item.getValue() instanceof Integer i) {
                out.add(i);
            }
        }
        return out;
    }

    /** The constant name of an enum value, or null. */
    static String enumName(AnnotationValue v) {
        return v != null && v.getValue() instanceof VariableElement ve ? ve.getSimpleName().toString() : null;
    }
}
