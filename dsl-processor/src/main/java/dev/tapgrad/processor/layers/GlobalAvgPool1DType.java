package dev.tapgrad.processor.layers;

/** {@code GlobalAvgPool1D}: Keras's {@code GlobalAveragePooling1D}; see {@link GlobalPoolRules}. */
public record GlobalAvgPool1DType() implements GlobalPoolRules {
    @Override
    public String simpleName() {
        return "GlobalAvgPool1D";
    }

    @Override
    public int spatialAxes() {
        return 1;
    }
}
