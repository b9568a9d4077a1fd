package dev.tapgrad.processor.diag;

/** One finding: its severity, its stable tag, the full message and where it points. */
public record Diagnostic(Severity severity, Tag tag, String message, Origin origin) {
    /** Error fails the build; warning does not and can be suppressed with {@code @SuppressWarnings}. */
    public enum Severity {
        ERROR,
        WARNING
    }

    /** The message as printed: {@code [Tapgrad/Tag] message}. */
    public String text() {
        return "[Tapgrad/" + tag.id() + "] " + message;
    }
}
