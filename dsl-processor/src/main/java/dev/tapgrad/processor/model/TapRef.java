package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Origin;

/**
 * A tap as written: {@code "conv1"} (a layer's output) or {@code "conv1.kernel"} (a parameter).
 * {@code param} is null for a layer output.
 */
public record TapRef(String text, String layer, String param, Origin origin) {
    /** Parses the text of a tap; the parts are validated later by the tap check. */
    public static TapRef parse(String text, Origin origin) {
        int dot = text.indexOf('.');
        return dot < 0
                ? new TapRef(text, text, null, origin)
                : new TapRef(text, text.substring(0, dot), text.substring(dot + 1), origin);
    }

    /** The labels ({@code yTrue}) that a {@code @Loss} method receives first: data, never a gradient. */
    public static TapRef labels(Origin origin) {
        return new TapRef("labels", null, null, origin);
    }

    /** Whether this binds the labels rather than a layer's output or parameter. */
    public boolean isLabels() {
        return layer == null;
    }

    /** Whether the tap reads a parameter rather than an activation. */
    public boolean isParameter() {
        return param != null;
    }
}
