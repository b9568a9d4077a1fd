package dev.tapgrad.processor.layers;

import java.util.List;

/** {@code AvgPool2D}: Keras's {@code AveragePooling2D}; shapes and attributes are {@link Pool2DRules}'. */
public record AvgPool2DType() implements Pool2DRules {
    @Override
    public String simpleName() {
        return "AvgPool2D";
    }

    /** {@code backward(gOut, gx, accumulate)}: with accumulate false, dL/dx overwrites gx. */
    @Override
    public boolean writesInputGradient() {
        return true;
    }

    /** An average's gradient does not depend on the values. */
    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
