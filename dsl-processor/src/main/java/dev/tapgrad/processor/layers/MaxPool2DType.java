package dev.tapgrad.processor.layers;

import java.util.List;

/** {@code MaxPool2D}: Keras's {@code MaxPooling2D}; shapes and attributes are {@link Pool2DRules}'. */
public record MaxPool2DType() implements Pool2DRules {
    @Override
    public String simpleName() {
        return "MaxPool2D";
    }

    /** The gradient goes where the max came from, found again in the input. */
    /** {@code backward(..., gx, accumulate)}: with accumulate false, dL/dx overwrites gx. */
    @Override
    public boolean writesInputGradient() {
        return true;
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
