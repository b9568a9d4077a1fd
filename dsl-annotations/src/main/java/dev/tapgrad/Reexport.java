package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public static method of a facade as a re-export of the {@link Differentiable} op with the
 * same name and parameter types in {@link #value()}, which it calls. The processor resolves a call
 * to the facade method to that op: its derivative rule is the op's, and generated code calls the op
 * and its adjoints in their own class. This is how {@code dev.tapgrad.runtime.Ops} gathers the ops
 * of {@code dev.tapgrad.runtime.ops} under one static import without inheriting from them; a user
 * may gather their own ops the same way.
 *
 * <pre>{@code
 * @Reexport(ElementwiseMath.class)
 * public static Tensor abs(Tensor x) { return ElementwiseMath.abs(x); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Reexport {
    /** The class that declares the op, with its {@link Differentiable} annotation and adjoints. */
    Class<?> value();
}
