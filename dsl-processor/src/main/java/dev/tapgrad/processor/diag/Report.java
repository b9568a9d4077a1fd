package dev.tapgrad.processor.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * The findings of one phase or check, collected instead of thrown so that every mistake in a model
 * is reported in one compile, and code is generated only when there is no error.
 */
public final class Report {
    private final List<Diagnostic> items = new ArrayList<>();

    /** Adds an error. */
    public void error(Tag tag, Origin origin, String message) {
        items.add(new Diagnostic(Diagnostic.Severity.ERROR, tag, message, origin));
    }

    /** Adds a warning. */
    public void warning(Tag tag, Origin origin, String message) {
        items.add(new Diagnostic(Diagnostic.Severity.WARNING, tag, message, origin));
    }

    /** Adds everything from another report. */
    public void addAll(Report other) {
        items.addAll(other.items);
    }

    /** Whether any item is an error. */
    public boolean hasErrors() {
        return items.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    /** The items in the order they were found. */
    public List<Diagnostic> items() {
        return List.copyOf(items);
    }
}
