package dev.tapgrad.processor.ir;

import dev.tapgrad.ShapeRule;
import java.util.List;

/**
 * A differentiable op as the processor found it: the class and method to call, the kind of each
 * parameter, the adjoint method for each tensor parameter (null for a constant parameter, empty for a
 * tensor that takes no gradient), its shape rule, and whether its derivative is zero everywhere (its
 * result is then a constant to the reverse pass). Read from the op's {@code @Differentiable}
 * annotation; nothing about particular ops is hard-coded in the processor.
 */
public record OpSignature(String ownerClass, String method, List<ArgKind> params, List<String> adjoints,
        ShapeRule shape, boolean zeroGradient) {

    public OpSignature {
        params = List.copyOf(params);
        adjoints = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(adjoints));
    }

    /** An op with a derivative rule (not {@code zeroGradient}). */
    public OpSignature(String ownerClass, String method, List<ArgKind> params, List<String> adjoints, ShapeRule shape) {
        this(ownerClass, method, params, adjoints, shape, false);
    }

    /** The kind of an op parameter. */
    public enum ArgKind {
        /** A {@code Tensor}: may carry a gradient. */
        TENSOR,
        /** A {@code double} (or int, long, float): always a constant. */
        DOUBLE,
        /** A {@code boolean}, such as {@code keepDims}: always a constant. */
        BOOLEAN;

        /** The Java type as messages show it. */
        public String javaName() {
            return switch (this) {
                case TENSOR -> "Tensor";
                case DOUBLE -> "double";
                case BOOLEAN -> "boolean";
            };
        }
    }

    /** Simple name of the owner class, e.g. {@code Ops}. */
    public String ownerSimpleName() {
        return ownerClass.substring(ownerClass.lastIndexOf('.') + 1);
    }

    /** Package of the owner class. */
    public String ownerPackage() {
        int dot = ownerClass.lastIndexOf('.');
        return dot < 0 ? "" : ownerClass.substring(0, dot);
    }

    /** The adjoint for parameter {@code i}, or null when it takes no gradient. */
    public String adjointOf(int i) {
        String a = adjoints.get(i);
        return a == null || a.isEmpty() ? null : a;
    }
}
