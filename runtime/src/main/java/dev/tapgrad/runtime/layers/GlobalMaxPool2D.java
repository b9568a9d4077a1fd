package dev.tapgrad.runtime.layers;

/** Keras's {@code GlobalMaxPooling2D}: images (B, height, width, channels) to (B, channels), the largest value of each channel over every position. */
public final class GlobalMaxPool2D extends GlobalPooling {
    /** A global pooling layer over images (B, height, width, channels). */
    public GlobalMaxPool2D(String name, int height, int width, int channels) {
        super(name, true, height, width, channels);
    }
}
