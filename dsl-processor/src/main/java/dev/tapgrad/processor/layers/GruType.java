package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.model.Shape;

/**
 * {@code Gru}: gated recurrent unit over (B, steps, features) sequences, Keras's GRU with {@code
 * reset_after = true}, gate order z, r, h; output (B, steps, units) with {@code returnSequences},
 * else (B, units); kernel (features, 3·units), recurrent_kernel (units, 3·units), bias (2,
 * 3·units): the input bias row, then the recurrent one.
 */
public record GruType() implements RecurrentRules {
    @Override
    public String simpleName() {
        return "Gru";
    }

    @Override
    public int gates() {
        return 3;
    }

    @Override
    public Shape biasShape(int units) {
        return Shape.fixed(2, 3 * units);
    }
}
