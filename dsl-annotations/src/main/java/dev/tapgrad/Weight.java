package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a {@code Tensor} field of a {@link CustomLayer} class as a trainable weight, saved and
 * tapped as {@code layer.field} ({@code swish.kernel}). Each shape entry is an integer or one of
 * the symbols {@code "input"} (the last dimension of the layer's first input), {@code "units"} and
 * {@code "filters"} (the {@code @Layer} attributes at the use site).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Weight {
    /** The weight's shape, e.g. {@code {"input", "units"}} or {@code {"units"}} or {@code {"3", "units"}}. */
    String[] shape();

    /** How the weight's first values are drawn (Glorot uniform unless said otherwise). */
    Init init() default Init.GLOROT_UNIFORM;
}
