package dev.tapgrad.processor.diag;

/**
 * Where a diagnostic points: an element, an annotation value, or an expression in a method body.
 * The model records carry origins without knowing what they are; only the {@code read} package,
 * which created them, turns them back into javac positions.
 */
public interface Origin {
    /** An origin for code built without javac (unit tests of checks): diagnostics print without a position. */
    Origin NONE = new Origin() {
        @Override
        public String toString() {
            return "<no position>";
        }
    };
}
