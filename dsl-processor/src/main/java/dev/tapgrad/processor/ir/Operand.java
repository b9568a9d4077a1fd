package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.model.Shape;

/**
 * An argument of an op, typed: a tensor value of the body, or a constant that takes no gradient (a
 * tensor field of the model, a number, a boolean).
 */
public sealed interface Operand {
    /** The operand's type as the printer writes it, e.g. {@code f32[B,64]}, {@code f64}, {@code bool}. */
    String type();

    /** A tensor value computed in the body or passed in as a tap. */
    record Var(Value value) implements Operand {
        @Override
        public String type() {
            return value.shape() == null ? "f32" : value.shape().irType();
        }

        @Override
        public String toString() {
            return value.name();
        }
    }

    /**
     * A tensor that takes no gradient: a non-private field of the model class (a {@code static
     * final} constant or an instance field set at construction). Its shape is known only at run
     * time ({@link Shape#UNKNOWN}).
     *
     * @param field the field's name, valid as Java source inside the generated subclass
     */
    record TensorConst(String field) implements Operand {
        /** The shape checks assume: unknown until run time. */
        public Shape shape() {
            return Shape.UNKNOWN;
        }

        @Override
        public String type() {
            return shape().irType();
        }

        @Override
        public String toString() {
            return field;
        }
    }

    /**
     * A number that takes no gradient. {@code value} is its value when it is known at compile time
     * (a literal, arithmetic on such values, a {@code static final} field with a constant
     * initialiser, anywhere), null otherwise (an instance field, a non-constant static field); {@code
     * javaSource} computes it in the generated subclass either way. Shape rules read axes and sizes
     * only from integral numbers known at compile time, so a body's shapes are checked where it is read.
     *
     * @param integral whether Java types it {@code int} or {@code long} (otherwise a floating type)
     * @param literal whether the source is a number literal, possibly signed, such as {@code -1}
     */
    record Scalar(Double value, String javaSource, boolean integral, boolean literal) implements Operand {
        /**
         * The value of an integral number known at compile time (a literal, a {@code static final
         * int} constant, arithmetic on them); null for any other number.
         */
        public Integer intValue() {
            return integral && value != null && Math.abs(value) <= Integer.MAX_VALUE ? value.intValue() : null;
        }

        /** {@code a op b} as Java computes it (long arithmetic when both are integral), null when unknown. */
        public static Double fold(Double a, String op, Double b, boolean integral) {
            if (a == null || b == null) {
                return null;
            }
            if (integral) {
                long x = a.longValue();
                long y = b.longValue();
                return switch (op) {
                    case "+" -> (double) (x + y);
                    case "-" -> (double) (x - y);
                    case "*" -> (double) (x * y);
                    default -> y == 0 ? null : (double) (x / y);
                };
            }
            return switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                default -> a / b;
            };
        }

        @Override
        public String type() {
            return integral ? "i64" : "f64";
        }

        @Override
        public String toString() {
            return javaSource;
        }
    }

    /** A {@code true} or {@code false} literal, such as a reduction's {@code keepDims}. */
    record BooleanConst(boolean value) implements Operand {
        @Override
        public String type() {
            return "bool";
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }
}
