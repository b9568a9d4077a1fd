package dev.tapgrad.runtime.layers;

/** Keras's {@code GlobalAveragePooling2D}: images (B, height, width, channels) to (B, channels), the mean of each channel over every position. */
public final class GlobalAvgPool2D extends GlobalPooling {
    /** A global pooling layer over images (B, height, width, channels). */
    public GlobalAvgPool2D(String name, int height, int width, int channels) {
        super(name, false, height, width, channels);
    }
}
