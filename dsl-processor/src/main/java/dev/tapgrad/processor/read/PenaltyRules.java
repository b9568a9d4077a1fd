package dev.tapgrad.processor.read;

import dev.tapgrad.processor.ad.PenaltyRule;
import dev.tapgrad.processor.ir.OpSignature;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads the penalty fusion rules the runtime declares: each constant of {@code OutputPenalty}
 * carries {@code @Fuses(ops, value, kernel, forward, gradient)}. The ops its {@code value} names
 * are resolved in {@code ops} by the same {@link OpResolver} that resolves loss bodies, so a rule
 * holds the very {@link OpSignature}s a body's calls resolve to.
 */
public final class PenaltyRules {
    /** The runtime enum whose constants declare the rules, and that a layer's {@code penalize} takes. */
    static final String DECLARING = "dev.tapgrad.runtime.layers.OutputPenalty";
    private static final String FUSES = "dev.tapgrad.Fuses";

    private PenaltyRules() {}

    /** Every rule the runtime on the class path declares, in declaration order; none without the runtime. */
    public static List<PenaltyRule> read(Elements elements) {
        TypeElement declaring = elements.getTypeElement(DECLARING);
        List<PenaltyRule> rules = new ArrayList<>();
        if (declaring == null) {
            return rules;
        }
        for (VariableElement constant : ElementFilter.fieldsIn(declaring.getEnclosedElements())) {
            if (constant.getKind() != ElementKind.ENUM_CONSTANT) {
                continue;
            }
            for (AnnotationMirror a : constant.getAnnotationMirrors()) {
                if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(FUSES)) {
                    rules.add(rule(elements, declaring, constant, values(elements, a)));
                }
            }
        }
        return rules;
    }

    private static PenaltyRule rule(Elements elements, TypeElement declaring, VariableElement constant,
            Map<String, Object> v) {
        TypeElement ops = (TypeElement) ((DeclaredType) v.get("ops")).asElement();
        TypeElement kernel = (TypeElement) ((DeclaredType) v.get("kernel")).asElement();
        OpResolver resolver = new OpResolver(elements, ops, null);
        List<OpSignature> chain = new ArrayList<>();
        String where = declaring.getSimpleName() + "." + constant.getSimpleName();
        for (String name : chain((String) v.get("value"), where)) {
            OpResolver.Resolution r = resolver.resolve(ops, name, List.of(ArgKind.TENSOR));
            if (r == null || r.signature() == null) {
                throw new IllegalStateException(where + ": @Fuses names " + name + "(Tensor), which is no"
                        + " differentiable op of " + ops.getQualifiedName());
            }
            chain.add(r.signature());
        }
        return new PenaltyRule(chain, kernel.getQualifiedName().toString(), (String) v.get("forward"),
                (String) v.get("gradient"), declaring.getQualifiedName().toString(), constant.getSimpleName().toString());
    }

    /** {@code "mean(abs(x))"} as the op names innermost first: {@code [abs, mean]}. */
    static List<String> chain(String text, String where) {
        List<String> outerFirst = new ArrayList<>();
        String s = text.strip();
        while (!s.equals("x")) {
            int open = s.indexOf('(');
            if (open <= 0 || !s.endsWith(")")) {
                throw new IllegalStateException(where + ": @Fuses(\"" + text + "\") is not one-argument calls nested around x");
            }
            outerFirst.add(s.substring(0, open).strip());
            s = s.substring(open + 1, s.length() - 1).strip();
        }
        List<String> innermostFirst = new ArrayList<>();
        for (int i = outerFirst.size() - 1; i >= 0; i--) {
            innermostFirst.add(outerFirst.get(i));
        }
        return innermostFirst;
    }

    /** The annotation's elements by name, defaults included; class values as their type mirrors. */
    private static Map<String, Object> values(Elements elements, AnnotationMirror a) {
        Map<String, Object> out = new java.util.HashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : elements.getElementValuesWithDefaults(a).entrySet()) {
            Object value = e.getValue().getValue();
            out.put(e.getKey().getSimpleName().toString(), value instanceof TypeMirror t ? t : value);
        }
        return out;
    }
}
