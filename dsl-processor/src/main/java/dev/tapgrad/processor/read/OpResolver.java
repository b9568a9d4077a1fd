package dev.tapgrad.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import dev.tapgrad.Differentiable;
import dev.tapgrad.Reexport;
import dev.tapgrad.processor.ir.OpSignature;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Finds the method a call in a loss body refers to, the way javac would for the common forms
 * ({@code abs(x)} through a static import, {@code Ops.abs(x)}, a fully qualified call), without
 * attributing the class: method bodies are not attributed yet while processors run. The found
 * method's {@link Differentiable} annotation becomes an {@link OpSignature}. A facade method
 * marked {@link Reexport} (as every method of {@code Ops} is) stands for the op of the same name
 * and parameter types in the class it names: the call resolves to that op, so an op has one
 * identity (its declaring class and method) however a body reaches it.
 */
final class OpResolver {
    static final String TENSOR = "dev.tapgrad.runtime.Tensor";

    private final Elements elements;
    private final TypeElement model;
    private final CompilationUnitTree unit;

    OpResolver(Elements elements, TypeElement model, CompilationUnitTree unit) {
        this.elements = elements;
        this.model = model;
        this.unit = unit;
    }

    /**
     * What a call resolved to: the method (for a {@link Reexport} facade method, the op it
     * re-exports), and its signature if it is differentiable. {@code facade} is the facade method
     * whose named class has no such op, else null.
     */
    record Resolution(ExecutableElement method, OpSignature signature, ExecutableElement facade) {}

    /** Resolves {@code select(args)} for arguments of the given kinds; null if no method matches. */
    Resolution resolve(ExpressionTree select, List<ArgKind> argKinds) {
        return first(candidates(select), argKinds);
    }

    /**
     * Resolves {@code owner.name(args)} for arguments of the given kinds, as a call written
     * {@code Owner.name(...)} in a loss body resolves; null if no method matches. Fusion rules
     * name their ops this way, so a rule and a body reach the same {@link OpSignature}.
     */
    Resolution resolve(TypeElement owner, String name, List<ArgKind> argKinds) {
        List<ExecutableElement> candidates = new ArrayList<>();
        methodsNamed(owner, name, candidates);
        return first(candidates, argKinds);
    }

    private static Resolution first(List<ExecutableElement> candidates, List<ArgKind> argKinds) {
        for (ExecutableElement m : candidates) {
            if (matches(m, argKinds)) {
                TypeElement target = reexportTarget(m);
                if (target == null) {
                    return new Resolution(m, signatureOf(m), null);
                }
                ExecutableElement op = sameSignature(target, m);
                return op == null || signatureOf(op) == null ? new Resolution(m, null, m)
                        : new Resolution(op, signatureOf(op), null);
            }
        }
        return null;
    }

    /** The class a {@link Reexport} on {@code m} names, or null if {@code m} is not a facade method. */
    static TypeElement reexportTarget(ExecutableElement m) {
        for (AnnotationMirror a : m.getAnnotationMirrors()) {
            if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(Reexport.class.getCanonicalName())) {
                continue;
            }
            for (var e : a.getElementValues().entrySet()) {
                if (e.getKey().getSimpleName().contentEquals("value")) {
                    AnnotationValue v = e.getValue();
                    return v.getValue() instanceof DeclaredType t ? (TypeElement) t.asElement() : null;
                }
            }
        }
        return null;
    }

    /** The static method of {@code owner} with {@code m}'s name and parameter types, or null. */
    private static ExecutableElement sameSignature(TypeElement owner, ExecutableElement m) {
        for (ExecutableElement c : ElementFilter.methodsIn(owner.getEnclosedElements())) {
            if (c.getSimpleName().equals(m.getSimpleName()) && c.getModifiers().contains(Modifier.STATIC)
                    && c.getParameters().size() == m.getParameters().size()) {
                boolean same = true;
                for (int i = 0; i < c.getParameters().size() && same; i++) {
                    // Op parameters are primitives and Tensor, whose names identify them.
                    same = c.getParameters().get(i).asType().toString()
                            .equals(m.getParameters().get(i).asType().toString());
                }
                if (same) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The methods a call's name could mean, by name only (for messages about arity or types). */
    List<ExecutableElement> candidates(ExpressionTree select) {
        List<ExecutableElement> out = new ArrayList<>();
        if (select instanceof IdentifierTree id) {
            String name = id.getName().toString();
            methodsNamed(model, name, out);
            for (ImportTree imp : unit.getImports()) {
                if (!imp.isStatic() || !(imp.getQualifiedIdentifier() instanceof MemberSelectTree ms)) {
                    continue;
                }
                String member = ms.getIdentifier().toString();
                if (member.equals("*") || member.equals(name)) {
                    TypeElement owner = elements.getTypeElement(ms.getExpression().toString());
                    if (owner != null) {
                        methodsNamed(owner, name, out);
                    }
                }
            }
        } else if (select instanceof MemberSelectTree ms) {
            TypeElement owner = resolveType(ms.getExpression().toString());
            if (owner != null) {
                methodsNamed(owner, ms.getIdentifier().toString(), out);
            }
        }
        return out;
    }

    /** A type named in the body: qualified, imported, nested in the class or around it, in its package, or in java.lang. */
    TypeElement resolveType(String name) {
        if (name.contains(".")) {
            TypeElement t = elements.getTypeElement(name);
            if (t != null) {
                return t;
            }
        }
        for (ImportTree imp : unit.getImports()) {
            if (imp.isStatic()) {
                continue;
            }
            String q = imp.getQualifiedIdentifier().toString();
            if (q.endsWith("." + name)) {
                return elements.getTypeElement(q);
            }
            if (q.endsWith(".*")) {
                TypeElement t = elements.getTypeElement(q.substring(0, q.length() - 1) + name);
                if (t != null) {
                    return t;
                }
            }
        }
        for (Element e = model; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            for (TypeElement member : ElementFilter.typesIn(t.getEnclosedElements())) {
                if (member.getSimpleName().contentEquals(name)) {
                    return member; // a nested helper class, e.g. Model.Helpers written as Helpers
                }
            }
        }
        PackageElement pkg = elements.getPackageOf(model);
        TypeElement local = elements.getTypeElement(
                pkg.isUnnamed() ? name : pkg.getQualifiedName() + "." + name);
        return local != null ? local : elements.getTypeElement("java.lang." + name);
    }

    private void methodsNamed(TypeElement owner, String name, List<ExecutableElement> out) {
        for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
            if (m.getSimpleName().contentEquals(name) && !out.contains(m)) {
                out.add(m);
            }
        }
    }

    private static boolean matches(ExecutableElement m, List<ArgKind> argKinds) {
        List<? extends VariableElement> ps = m.getParameters();
        if (ps.size() != argKinds.size()) {
            return false;
        }
        for (int i = 0; i < ps.size(); i++) {
            if (kindOf(ps.get(i).asType()) != argKinds.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The IR kind of a Java parameter type, or null for types loss bodies cannot pass. */
    static ArgKind kindOf(TypeMirror t) {
        if (t.getKind() == TypeKind.DOUBLE || t.getKind() == TypeKind.FLOAT || t.getKind() == TypeKind.INT
                || t.getKind() == TypeKind.LONG) {
            return ArgKind.DOUBLE;
        }
        if (t.getKind() == TypeKind.BOOLEAN) {
            return ArgKind.BOOLEAN;
        }
        return t.toString().equals(TENSOR) ? ArgKind.TENSOR : null;
    }

    /** The op's signature from its annotation, or null if the method is not a differentiable op. */
    private static OpSignature signatureOf(ExecutableElement m) {
        Differentiable d = m.getAnnotation(Differentiable.class);
        if (d == null || !m.getModifiers().contains(Modifier.STATIC)
                || m.getEnclosingElement().getKind() != ElementKind.CLASS) {
            return null;
        }
        List<ArgKind> kinds = new ArrayList<>();
        for (VariableElement p : m.getParameters()) {
            kinds.add(kindOf(p.asType()));
        }
        List<String> adjoints = new ArrayList<>();
        String[] declared = d.adjoint();
        int next = 0;
        for (ArgKind k : kinds) {
            adjoints.add(k == ArgKind.TENSOR ? (next < declared.length ? declared[next++] : "") : null);
        }
        Element owner = m.getEnclosingElement();
        return new OpSignature(((TypeElement) owner).getQualifiedName().toString(),
                m.getSimpleName().toString(), kinds, adjoints, d.shape(), d.zeroGradient());
    }

    /** Whether the op's owner declares every adjoint the annotation names, with the right arity. */
    static List<String> missingAdjoints(ExecutableElement op, OpSignature sig) {
        List<String> missing = new ArrayList<>();
        TypeElement owner = (TypeElement) op.getEnclosingElement();
        for (int i = 0; i < sig.params().size(); i++) {
            String a = sig.adjointOf(i);
            if (a == null) {
                continue;
            }
            boolean found = ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
                    .anyMatch(m -> m.getSimpleName().contentEquals(a)
                            && m.getModifiers().contains(Modifier.STATIC)
                            && m.getParameters().size() == sig.params().size() + 2);
            if (!found) {
                missing.add(a);
            }
        }
        return missing;
    }
}
