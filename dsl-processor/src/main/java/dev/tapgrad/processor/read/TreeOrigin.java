package dev.tapgrad.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import dev.tapgrad.processor.diag.Origin;

/** An origin on an expression or statement inside a method body, where javac puts its caret. */
record TreeOrigin(Tree tree, CompilationUnitTree unit) implements Origin {
    @Override
    public String toString() {
        return tree.toString();
    }
}
