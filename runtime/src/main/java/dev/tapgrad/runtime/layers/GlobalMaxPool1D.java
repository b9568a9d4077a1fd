package dev.tapgrad.runtime.layers;

/** Keras's {@code GlobalMaxPooling1D}: sequences (B, steps, channels) to (B, channels), the largest value of each channel over every position. */
public final class GlobalMaxPool1D extends GlobalPooling {
    /** A global pooling layer over sequences (B, steps, channels). */
    public GlobalMaxPool1D(String name, int steps, int channels) {
        super(name, true, steps, channels);
    }
}
