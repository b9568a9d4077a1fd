package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.model.Shape;

/**
 * {@code Lstm}: long short-term memory over (B, steps, features) sequences, Keras gate order i, f,
 * c, o; output (B, steps, units) with {@code returnSequences}, else (B, units); kernel (features,
 * 4·units), recurrent_kernel (units, 4·units), bias (4·units).
 */
public record LstmType() implements RecurrentRules {
    @Override
    public String simpleName() {
        return "Lstm";
    }

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public Shape biasShape(int units) {
        return Shape.fixed(4 * units);
    }
}
