package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an abstract class as a Tapgrad model. The annotation processor checks it and generates
 * {@code <Name>Graph extends <Name>} in the same package, with {@code fit}, {@code evaluate},
 * {@code predict}, {@code gradients}, {@code save} and {@code load}.
 *
 * <pre>{@code
 * @Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
 * abstract class SparseCnn {
 *     @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
 *     @Layer Flatten flat;
 *     @Layer(units = 10, activation = SOFTMAX) Dense out;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
    /** Shape of one example, without the batch dimension; images are channels last, e.g. {28, 28, 1}. */
    int[] input();

    /** The built-in main loss; leave it {@link LossKind#NONE} when a {@link Loss} method defines it. */
    LossKind loss() default LossKind.NONE;

    /**
     * Whether the output layer gives logits (a linear output) for the crossentropy losses, which
     * then use their stable forms (log-sum-exp, log-sigmoid) rather than clipping probabilities.
     */
    boolean fromLogits() default false;

    /** Metrics reported by {@code fit} and {@code evaluate}. */
    Metric[] metrics() default {};
}
