package dev.tapgrad.processor.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

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

    /**
     * Explicitly written values by attribute name, in source order. A value that does not have
     * its element's type is left out, as if it were not written: for a name javac cannot resolve
     * ({@code units = UNITS}) it still runs processors but hands over a placeholder string. javac
     * reports the mistake itself, and the reader can rely on the types of what remains.
     */
    static Map<String, AnnotationValue> explicit(AnnotationMirror m) {
        Map<String, AnnotationValue> out = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
            if (fits(e.getKey().getReturnType(), e.getValue().getValue())) {
                out.put(e.getKey().getSimpleName().toString(), e.getValue());
            }
        }
        return out;
    }

    /** Whether a value javac attached to an annotation element has the element's type. */
    private static boolean fits(TypeMirror type, Object value) {
        switch (type.getKind()) {
            case INT:
                return value instanceof Integer;
            case DOUBLE:
            case FLOAT:
                return value instanceof Number;
            case BOOLEAN:
                return value instanceof Boolean;
            case ARRAY:
                TypeMirror component = ((ArrayType) type).getComponentType();
                if (value instanceof List<?> list) {
                    return list.stream().allMatch(o -> o instanceof AnnotationValue v && fits(component, v.getValue()));
                }
                return fits(component, value);
            case DECLARED:
                Element declared = ((DeclaredType) type).asElement();
                if (declared.getKind() == ElementKind.ENUM) {
                    return value instanceof VariableElement ve && ve.getEnclosingElement().equals(declared);
                }
                return !declared.toString().equals("java.lang.String") || value instanceof String;
            default:
                return true;
        }
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
