package dev.tapgrad.processor.read;

import com.sun.source.util.Trees;
import dev.tapgrad.processor.diag.Diagnostic;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/** Prints a {@link Report} through javac, at the element, annotation value or expression each item names. */
public final class DiagnosticPrinter {
    private final Messager messager;
    private final Trees trees;
    private final Element fallback;

    /**
     * @param trees may be null when the compiler has no Trees API; body positions then fall back
     * @param fallback where to report items whose origin has no position (the model class)
     */
    public DiagnosticPrinter(Messager messager, Trees trees, Element fallback) {
        this.messager = messager;
        this.trees = trees;
        this.fallback = fallback;
    }

    /** Prints every item of the report once. */
    public void print(Report report) {
        for (Diagnostic d : report.items()) {
            print(d);
        }
    }

    private void print(Diagnostic d) {
        Kind kind = d.severity() == Diagnostic.Severity.ERROR ? Kind.ERROR : Kind.WARNING;
        Origin o = d.origin();
        if (o instanceof TreeOrigin t && trees != null) {
            trees.printMessage(kind, d.text(), t.tree(), t.unit());
        } else if (o instanceof ElementOrigin e) {
            if (e.value() != null) {
                messager.printMessage(kind, d.text(), e.element(), e.mirror(), e.value());
            } else if (e.mirror() != null) {
                messager.printMessage(kind, d.text(), e.element(), e.mirror());
            } else {
                messager.printMessage(kind, d.text(), e.element());
            }
        } else {
            messager.printMessage(kind, d.text(), fallback);
        }
    }
}
