package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a public static method as a differentiable operation and names its derivative rule, so
 * the processor can differentiate loss bodies that call it. This is how Tapgrad's own ops are
 * defined, and how a user adds an op (like JAX's {@code custom_vjp}).
 *
 * <p>For an op {@code Tensor f(A1 a1, ..., An an)}, {@link #adjoint()} names one method per
 * {@code Tensor} parameter, in order. Each is a public static method of the same class with the
 * parameters {@code (A1 a1, ..., An an, Tensor out, Tensor g)} that returns the gradient with
 * respect to that argument (shaped like it), given the op's result {@code out} and the gradient
 * {@code g} of the loss with respect to {@code out}. An empty name marks an argument that takes no
 * gradient. Constant parameters ({@code double}, {@code float}, {@code int}, {@code long},
 * {@code boolean}) are never differentiated and have no entry in {@link #adjoint()}; the adjoint
 * still receives them, and the {@link #shape() shape rule} may read them when they are literals.
 *
 * <pre>{@code
 * @Differentiable(adjoint = "absAdjoint", shape = ShapeRule.SAME)
 * public static Tensor abs(Tensor x) { ... }
 * public static Tensor absAdjoint(Tensor x, Tensor out, Tensor g) { ... }   // g · sign(x)
 * }</pre>
 *
 * <p>An op whose result does not vary with the values of its tensor arguments (it reads only their
 * shapes, as {@code randomNormal(like)} does) has a derivative of zero: it says so with {@link
 * #zeroGradient()} and an empty {@link #adjoint()}, and the processor treats its result as a
 * constant, emitting no gradient code through it (a stop-gradient).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
    /** The adjoint method for each tensor parameter, in parameter order. */
    String[] adjoint();

    /** How the result's shape follows from the arguments. */
    ShapeRule shape();

    /**
     * Whether the op's derivative with respect to every argument is zero, so no gradient flows
     * through its result (random draws shaped like their argument); {@link #adjoint()} is then
     * empty.
     */
    boolean zeroGradient() default false;
}
