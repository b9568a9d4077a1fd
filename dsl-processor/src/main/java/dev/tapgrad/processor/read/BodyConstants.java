package dev.tapgrad.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import dev.tapgrad.processor.diag.BodyMessages;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import dev.tapgrad.processor.ir.Operand;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * The fields a body may read, as IR constants: the model's own fields (numbers, tensors), and
 * compile-time constants from anywhere ({@code Math.PI}, {@code Math.E}, a {@code static final int}
 * axis of a helper class, a statically imported constant), which generated code names by their
 * qualified name. Numbers and booleans with a compile-time value carry it, so shape rules can read
 * a {@code static final int} axis as they read a literal.
 */
final class BodyConstants {
    /** What a name resolved to: an operand, or the message saying why the field cannot be used. */
    record Lookup(Operand operand, String error) {}

    private final Elements elements;
    private final TypeElement model;

    BodyConstants(Elements elements, TypeElement model) {
        this.elements = elements;
        this.model = model;
    }

    /**
     * The field {@code name} as a body in {@code owner} (the model, or the class of a helper being
     * inlined) sees it unqualified: a field of {@code owner}, else one imported statically by {@code
     * unit}; null if there is none.
     */
    Lookup unqualified(String name, TypeElement owner, CompilationUnitTree unit) {
        VariableElement f = fieldOf(owner, name, true);
        if (f == null) {
            f = staticallyImported(name, unit);
        }
        return f == null ? null : lookup(f);
    }

    /** {@code Type.NAME} (the type resolved by {@code resolver}); null when it names no field of a type. */
    Lookup qualified(MemberSelectTree select, OpResolver resolver) {
        TypeElement type = resolver.resolveType(select.getExpression().toString());
        if (type == null) {
            return null;
        }
        VariableElement f = fieldOf(type, select.getIdentifier().toString(), false);
        return f == null ? null : lookup(f);
    }

    private Lookup lookup(VariableElement f) {
        TypeElement declaring = (TypeElement) f.getEnclosingElement();
        String name = f.getSimpleName().toString();
        boolean isStatic = f.getModifiers().contains(Modifier.STATIC);
        boolean ofModel = isModelMember(declaring);
        if (f.getModifiers().contains(Modifier.PRIVATE)) {
            return privateConstant(f, declaring);
        }
        if (!isStatic && !ofModel) {
            return new Lookup(null, BodyMessages.instanceFieldOfOtherClass(name, declaring.getQualifiedName().toString()));
        }
        // The generated graph extends the model, so the model's fields keep their simple names.
        String source = ofModel ? name : sourceName(declaring) + "." + name;
        Object constant = f.getConstantValue();
        if (f.asType().getKind() == TypeKind.BOOLEAN) {
            return constant instanceof Boolean b ? new Lookup(new Operand.BooleanConst(b), null)
                    : new Lookup(null, BodyMessages.booleanNotConstant(name));
        }
        ArgKind kind = OpResolver.kindOf(f.asType());
        if (kind == ArgKind.DOUBLE) {
            Double value = constant instanceof Number n ? n.doubleValue() : null;
            boolean integral = f.asType().getKind() == TypeKind.INT || f.asType().getKind() == TypeKind.LONG;
            return new Lookup(new Operand.Scalar(value, source, integral, false), null);
        }
        if (kind == ArgKind.TENSOR && (ofModel || f.getModifiers().contains(Modifier.FINAL))) {
            return new Lookup(new Operand.TensorConst(source), null); // a constant: no gradient flows into it
        }
        return new Lookup(null, BodyMessages.unsupportedField(name, f.asType().toString()));
    }

    /** A private field, which generated code cannot name: usable only as its compile-time value. */
    private static Lookup privateConstant(VariableElement f, TypeElement declaring) {
        String name = f.getSimpleName().toString();
        Object constant = f.getConstantValue();
        if (constant instanceof Boolean b) {
            return new Lookup(new Operand.BooleanConst(b), null);
        }
        if (constant instanceof Number n && OpResolver.kindOf(f.asType()) == ArgKind.DOUBLE) {
            boolean integral = f.asType().getKind() == TypeKind.INT || f.asType().getKind() == TypeKind.LONG;
            String literal = integral ? Long.toString(n.longValue()) + (f.asType().getKind() == TypeKind.LONG ? "L" : "")
                    : Double.isFinite(n.doubleValue()) ? Double.toString(n.doubleValue())
                    : Double.isNaN(n.doubleValue()) ? "Double.NaN"
                    : n.doubleValue() > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
            return new Lookup(new Operand.Scalar(n.doubleValue(), literal, integral, false), null);
        }
        return new Lookup(null, BodyMessages.privateFieldNotConstant(name, declaring.getQualifiedName().toString()));
    }

    private boolean isModelMember(TypeElement declaring) {
        return declaring.equals(model) || elements.getAllMembers(model).stream()
                .anyMatch(e -> e.getEnclosingElement().equals(declaring));
    }

    /** A field of {@code type} (inherited ones too), private ones only if declared by it and allowed; or null. */
    private VariableElement fieldOf(TypeElement type, String name, boolean ownPrivate) {
        for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(type))) {
            if (f.getSimpleName().contentEquals(name) && (!f.getModifiers().contains(Modifier.PRIVATE)
                    || ownPrivate && f.getEnclosingElement().equals(type))) {
                return f;
            }
        }
        return null;
    }

    /** A static field imported by {@code import static T.name;} or {@code import static T.*;}, or null. */
    private VariableElement staticallyImported(String name, CompilationUnitTree unit) {
        for (ImportTree imp : unit.getImports()) {
            if (!imp.isStatic() || !(imp.getQualifiedIdentifier() instanceof MemberSelectTree ms)) {
                continue;
            }
            String member = ms.getIdentifier().toString();
            if (member.equals("*") || member.equals(name)) {
                TypeElement owner = elements.getTypeElement(ms.getExpression().toString());
                VariableElement f = owner == null ? null : fieldOf(owner, name, false);
                if (f != null && f.getModifiers().contains(Modifier.STATIC)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** How generated code names {@code type}: java.lang's types by their simple names, others qualified. */
    private String sourceName(TypeElement type) {
        String q = type.getQualifiedName().toString();
        return q.equals("java.lang." + type.getSimpleName()) ? type.getSimpleName().toString() : q;
    }
}
