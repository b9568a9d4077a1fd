package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a fused runtime kernel computes exactly a composition of {@link Differentiable}
 * ops on one tensor, so that the processor may call the kernel where a loss body is that
 * composition. The processor resolves the ops named in {@link #value()} as it resolves the calls
 * in a loss body, and matches bodies on the resolved ops, never on their names. Tapgrad's runtime
 * declares its L1 and L2 penalties this way, on the constants of {@code OutputPenalty}.
 *
 * <pre>{@code
 * @Fuses(ops = Ops.class, value = "mean(abs(x))",
 *        kernel = Penalties.class, forward = "meanAbs", gradient = "addMeanAbsGradient")
 * MEAN_ABS,
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Fuses {
    /** The class whose static ops {@link #value()} calls, as a loss body calls them. */
    Class<?> ops();

    /** The composition: one-argument calls of ops, nested around the tensor {@code x}, e.g. {@code mean(abs(x))}. */
    String value();

    /** The class that declares {@link #forward()} and {@link #gradient()}. */
    Class<?> kernel();

    /** A static {@code double forward(Tensor x)} that returns the composition's value. */
    String forward();

    /** A static {@code void gradient(Tensor x, double weight, Tensor grad)} that adds {@code weight} times its gradient to {@code grad}. */
    String gradient();
}
