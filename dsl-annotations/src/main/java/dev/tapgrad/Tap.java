package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter of a {@link Loss} method to a layer's output ({@code @Tap("hidden")}) or to a
 * parameter ({@code @Tap("hidden.kernel")}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Tap {
    /** The layer name or {@code layer.param} to read. */
    String value();
}
