package dev.tapgrad.processor.ad.ir;

/** An argument of an op: a tensor value of the body, or a constant that takes no gradient. */
public sealed interface Operand {
    /** A tensor value computed in the body or passed in as a tap. */
    record Var(Value value) implements Operand {
        @Override
        public String toString() {
            return value.name();
        }
    }

    /**
     * A tensor that takes no gradient: a field of the model class (a {@code static final} constant
     * or an instance field set at construction), as Java source valid inside the generated subclass.
     */
    record TensorConst(String javaSource) implements Operand {
        @Override
        public String toString() {
            return javaSource;
        }
    }

    /**
     * A double constant as Java source that is valid inside the generated subclass (literals,
     * arithmetic, and non-private fields of the model class).
     */
    record DoubleConst(String javaSource) implements Operand {
        @Override
        public String toString() {
            return javaSource;
        }
    }

    /** A {@code true} or {@code false} literal, such as a reduction's {@code keepDims}. */
    record BooleanConst(boolean value) implements Operand {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }
}
