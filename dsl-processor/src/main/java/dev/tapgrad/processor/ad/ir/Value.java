package dev.tapgrad.processor.ad.ir;

/**
 * A tensor value in a loss body, assigned once. {@code name} is the user's variable name for
 * parameters and locals (kept in the generated code so it reads like the source) and {@code t<n>}
 * for temporaries.
 */
public record Value(int id, String name) {
    @Override
    public String toString() {
        return name;
    }
}
