package dev.tapgrad.processor.read;

import com.sun.source.util.Trees;
import dev.tapgrad.processor.diag.BodyMessages;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Which methods a body may call without a derivative rule (helpers, differentiated by inlining
 * them), and, for a call it may not make, which of the ways out applies: the hint names the one that
 * fits the method found (make it static, return a Tensor, mark a compiled method
 * {@code @Differentiable}, import the ops), not always the same advice.
 */
final class CallHints {
    private static final String OPS = "dev.tapgrad.runtime.Ops";

    private CallHints() {}

    /**
     * Whether {@code m} is a helper: a method with a body in this compilation that returns a Tensor
     * and is static or a method of the model class (or a class it extends).
     */
    static boolean isHelper(ExecutableElement m, TypeElement model, Trees trees) {
        if (m.getModifiers().contains(Modifier.ABSTRACT) || !m.getReturnType().toString().equals(OpResolver.TENSOR)) {
            return false;
        }
        if (trees.getTree(m) == null) {
            return false; // compiled elsewhere: no body to read
        }
        return m.getModifiers().contains(Modifier.STATIC) || isSupertypeOf((TypeElement) m.getEnclosingElement(), model);
    }

    /** Whether {@code t} is {@code model} or one of its superclasses (whose methods the graph inherits). */
    private static boolean isSupertypeOf(TypeElement t, TypeElement model) {
        for (TypeElement c = model; c != null; c = c.getSuperclass() instanceof javax.lang.model.type.DeclaredType d
                ? (TypeElement) d.asElement() : null) {
            if (c.equals(t)) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code m}, which has no {@code @Differentiable} rule and is no helper, cannot be called. */
    static String noDerivativeRule(String callee, ExecutableElement m, TypeElement model, Trees trees) {
        String owner = ((TypeElement) m.getEnclosingElement()).getQualifiedName().toString();
        String returns = m.getReturnType().toString();
        if (m.getModifiers().contains(Modifier.ABSTRACT)) {
            return BodyMessages.noDerivativeRule(callee, owner, "it is abstract, so it has no body to differentiate");
        }
        if (!returns.equals(OpResolver.TENSOR)) {
            return BodyMessages.noDerivativeRule(callee, owner, "it returns " + returns
                    + ", and a helper a body calls must return a Tensor");
        }
        if (trees.getTree(m) == null) {
            return BodyMessages.noDerivativeRule(callee, owner, "it is compiled outside this compilation, so its body"
                    + " cannot be read: mark it @Differentiable(adjoint = ..., shape = ...) where it is declared,"
                    + " with its adjoints beside it, or make it a static helper in this compilation,"
                    + " or use an op from " + OPS);
        }
        return BodyMessages.noDerivativeRule(callee, owner, "it is an instance method of a class " + model.getSimpleName()
                + " does not extend; make it static (a static helper of this compilation is differentiated by inlining it)");
    }

    /** For a call to a name no class in scope has: the Ops import if it is an op, else the closest op. */
    static String unknownCall(String callee, Elements elements) {
        String name = callee.substring(callee.lastIndexOf('.') + 1);
        TypeElement ops = elements.getTypeElement(OPS);
        Set<String> opNames = new TreeSet<>();
        if (ops != null) {
            ElementFilter.methodsIn(ops.getEnclosedElements()).forEach(m -> opNames.add(m.getSimpleName().toString()));
        }
        return opNames.contains(name) && !callee.contains(".")
                ? BodyMessages.opNotImported(callee)
                : BodyMessages.unknownCall(callee, opNames);
    }
}
