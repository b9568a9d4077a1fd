package dev.tapgrad.processor.diag;

import java.util.Collection;

/**
 * The message catalogue's shared wording. Every text the processor prints lives in one of the
 * catalogue classes of this package, split by what the message is about, so wording stays consistent
 * and each message says what is wrong, the names or shapes involved, and how to fix it:
 * {@link ModelMessages} (the model class and the environment), {@link LayerMessages} (layers, their
 * attributes and wiring), {@link LossMessages} (loss methods, taps and weights), {@link BodyMessages}
 * (loss bodies that cannot be differentiated) and {@link BodyShapeMessages} (shapes in loss bodies).
 */
final class Messages {
    private Messages() {}

    /** The names joined with commas, or {@code (none)}, so that an empty list still reads as an answer. */
    static String list(Collection<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
}
