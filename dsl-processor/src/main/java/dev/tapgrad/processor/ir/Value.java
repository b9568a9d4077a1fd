package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.model.Shape;

/**
 * A tensor value in a loss body, assigned once, with its shape. {@code name} is the user's variable
 * name for parameters and locals (kept in the generated code so it reads like the source) and
 * {@code t<n>} for temporaries. The reader creates values without a shape (null); shape inference
 * ({@link BodyShapes}) returns the program again with every value typed.
 */
public record Value(int id, String name, Shape shape) {
    /** A value whose shape is not inferred yet. */
    public Value(int id, String name) {
        this(id, name, null);
    }

    /** This value with shape {@code s}. */
    public Value typed(Shape s) {
        return new Value(id, name, s);
    }

    /** As the printer writes a use: {@code %unit}. */
    public String ref() {
        return "%" + name;
    }

    @Override
    public String toString() {
        return name;
    }
}
