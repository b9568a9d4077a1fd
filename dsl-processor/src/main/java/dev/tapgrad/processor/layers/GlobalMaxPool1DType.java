package dev.tapgrad.processor.layers;

/** {@code GlobalMaxPool1D}: Keras's {@code GlobalMaxPooling1D}; see {@link GlobalPoolRules}. */
public record GlobalMaxPool1DType() implements GlobalPoolRules {
    @Override
    public String simpleName() {
        return "GlobalMaxPool1D";
    }

    @Override
    public int spatialAxes() {
        return 1;
    }
}
