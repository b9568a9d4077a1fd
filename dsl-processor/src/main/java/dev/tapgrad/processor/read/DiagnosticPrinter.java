package dev.tapgrad.processor.read;

import com.sun.source.util.Trees;
import dev.tapgrad.processor.diag.Diagnostic;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * Prints a {@link Report} through javac, at the element, annotation value or expression each item
 * names. javac's own {@code @SuppressWarnings} does not cover processor messages, so a warning is
 * dropped here when the element or one that encloses it says {@code @SuppressWarnings("tapgrad:<tag>")}
 * (the tag in lower case, e.g. {@code tapgrad:wiring}) or {@code "tapgrad:all"}.
 */
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
        if (kind == Kind.WARNING && suppressed(o instanceof ElementOrigin e ? e.element() : fallback, d)) {
            return;
        }
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

    private static boolean suppressed(Element at, Diagnostic d) {
        String wanted = "tapgrad:" + d.tag().id().toLowerCase(java.util.Locale.ROOT);
        for (Element e = at; e != null; e = e.getEnclosingElement()) {
            SuppressWarnings s = e.getAnnotation(SuppressWarnings.class);
            if (s != null) {
                for (String v : s.value()) {
                    if (v.equalsIgnoreCase(wanted) || v.equalsIgnoreCase("tapgrad:all")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
