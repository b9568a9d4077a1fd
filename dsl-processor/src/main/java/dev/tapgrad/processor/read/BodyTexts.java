package dev.tapgrad.processor.read;

import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** How {@link BodyReader}'s messages name what a body contains: a kind of tree, the class that declares a method. */
final class BodyTexts {
    private BodyTexts() {}

    /** The qualified name of the class or interface that declares {@code m}. */
    static String ownerOf(ExecutableElement m) {
        Element owner = m.getEnclosingElement();
        return owner.getKind() == ElementKind.CLASS || owner.getKind() == ElementKind.INTERFACE
                ? ((TypeElement) owner).getQualifiedName().toString()
                : owner.toString();
    }

    /** What a statement or expression a body cannot contain is, in words: "a loop", "a cast". */
    static String describe(Tree t) {
        return switch (t.getKind()) {
            case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP -> "a loop";
            case IF -> "an if statement";
            case CONDITIONAL_EXPRESSION -> "a conditional expression";
            case SWITCH, SWITCH_EXPRESSION -> "a switch";
            case TRY -> "a try statement";
            case THROW -> "a throw statement";
            case NEW_CLASS -> "object creation";
            case LAMBDA_EXPRESSION -> "a lambda";
            case MEMBER_SELECT -> "a field access";
            case ARRAY_ACCESS -> "array access";
            case TYPE_CAST -> "a cast";
            case BLOCK -> "a nested block";
            default -> "this kind of " + (t instanceof StatementTree ? "statement" : "expression");
        };
    }
}
