package dev.tapgrad.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.ir.Operand;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * What {@link BodyReader} reads one method body in: the class and file the body is written in (the
 * model's, or a helper's while it is inlined), the op resolver for that file's names, the locals
 * bound so far, and the expression its {@code return} yields. Inlining a helper reads its body in a
 * scope of its own and goes back to the caller's one afterwards, so nothing of the helper leaks.
 */
final class BodyScope {
    /** The class whose code is read; its names (fields, imports, calls) resolve here. */
    final TypeElement owner;
    /** Its file, which the errors point into. */
    final CompilationUnitTree unit;
    final OpResolver ops;
    /** The parameters and locals bound so far, by name. */
    final Map<String, Operand> locals = new HashMap<>();
    /** The expression the body's final {@code return} yields; null until it is read. */
    Tree resultOrigin;

    private BodyScope(TypeElement owner, CompilationUnitTree unit, OpResolver ops) {
        this.owner = owner;
        this.unit = unit;
        this.ops = ops;
    }

    /** The scope of a body written in {@code owner}'s {@code unit}, with no locals yet. */
    static BodyScope of(Elements elements, TypeElement owner, CompilationUnitTree unit) {
        return new BodyScope(owner, unit, new OpResolver(elements, owner, unit));
    }

    /**
     * A scope for {@code helper}'s body, with no locals yet: in this scope's class and file when the
     * helper is written there, else in the helper's own (its names are resolved where it is written,
     * and its errors point there).
     */
    BodyScope forHelper(ExecutableElement helper, Trees trees, Elements elements) {
        TypeElement helperClass = (TypeElement) helper.getEnclosingElement();
        if (helperClass.equals(owner)) {
            return new BodyScope(owner, unit, ops);
        }
        return of(elements, helperClass, trees.getPath(helper).getCompilationUnit());
    }
}
