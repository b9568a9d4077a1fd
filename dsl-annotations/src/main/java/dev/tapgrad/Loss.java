package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Model} class as the model's main loss, replacing {@link Model#loss()}.
 * It receives the labels and the predictions and, through {@link Tap}, any intermediate activation.
 *
 * <pre>{@code
 * @Loss
 * Tensor loss(Tensor yTrue, Tensor yPred, @Tap("intermediate") Tensor act) {
 *     return add(categoricalCrossentropy(yTrue, yPred), scale(0.1, mean(abs(act))));
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Loss {}
