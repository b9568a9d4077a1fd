package dev.tapgrad.processor.layers;

/** {@code GlobalAvgPool2D}: Keras's {@code GlobalAveragePooling2D}; see {@link GlobalPoolRules}. */
public record GlobalAvgPool2DType() implements GlobalPoolRules {
    @Override
    public String simpleName() {
        return "GlobalAvgPool2D";
    }

    @Override
    public int spatialAxes() {
        return 2;
    }
}
