package dev.tapgrad.processor.layers;

/** {@code GlobalMaxPool2D}: Keras's {@code GlobalMaxPooling2D}; see {@link GlobalPoolRules}. */
public record GlobalMaxPool2DType() implements GlobalPoolRules {
    @Override
    public String simpleName() {
        return "GlobalMaxPool2D";
    }

    @Override
    public int spatialAxes() {
        return 2;
    }
}
