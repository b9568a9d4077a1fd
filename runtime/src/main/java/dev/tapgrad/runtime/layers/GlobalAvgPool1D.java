package dev.tapgrad.runtime.layers;

/** Keras's {@code GlobalAveragePooling1D}: sequences (B, steps, channels) to (B, channels), the mean of each channel over every position. */
public final class GlobalAvgPool1D extends GlobalPooling {
    /** A global pooling layer over sequences (B, steps, channels). */
    public GlobalAvgPool1D(String name, int steps, int channels) {
        super(name, false, steps, channels);
    }
}
