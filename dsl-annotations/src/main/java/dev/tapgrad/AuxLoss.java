package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Model} class as an auxiliary loss on intermediate state, the Tapgrad
 * form of Keras's {@code model.add_loss(...)}. The method receives the tapped tensors, in the order
 * of {@link #tap()}, and returns a scalar {@code Tensor}. The total loss is
 * {@code main + Σ weight · aux}; the aux gradient flows into the tapped layer and the layers before
 * it, never into the layers after it.
 *
 * <pre>{@code
 * @AuxLoss(tap = "conv1", weight = 0.01)
 * Tensor sparsity(Tensor conv1) { return mean(abs(conv1)); }
 * }</pre>
 *
 * <p>The body is differentiated at compile time, so it may only use differentiable operations from
 * {@code dev.tapgrad.runtime.Ops} (or other methods annotated {@link Differentiable}): no loops, no
 * {@code if} on tensor values, no field writes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AuxLoss {
    /** What the loss reads: a layer name (its output) or {@code layer.param} (a parameter). */
    String[] tap();

    /** Weight of this term in the total loss; must be finite and greater than zero. */
    double weight() default 1.0;
}
