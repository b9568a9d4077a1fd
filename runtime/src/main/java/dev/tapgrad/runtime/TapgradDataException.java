package dev.tapgrad.runtime;

/**
 * Data that does not fit the model (wrong shape, different example counts, NaN or infinity, labels
 * the loss cannot use), found before training touches any weight. The message names the model,
 * the data, what was expected and what was found.
 */
public class TapgradDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error with a message that says what is wrong and how to fix it. */
    public TapgradDataException(String message) {
        super(message);
    }
}
