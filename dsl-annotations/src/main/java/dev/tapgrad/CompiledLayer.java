package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Written by Tapgrad's processor, never by users: on the generated runtime class of a {@link
 * CustomLayer}, what a model compiled later (in another compilation unit or from a jar) needs to
 * use the layer without its source: its inputs, weights and forward body in Tapgrad's IR, from
 * which the model's compilation infers the layer's output shape for the inputs it gives it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CompiledLayer {
    /** The qualified name of the {@link CustomLayer} class. */
    String definition();

    /** The names of {@code call}'s tensor parameters, in order. */
    String[] inputs();

    /** Whether {@code call} takes a trailing {@code boolean training}. */
    boolean training() default false;

    /** Each weight as {@code name:shape,entries:INIT}, in declaration order. */
    String[] weights() default {};

    /** The forward body, one op call per entry, in the processor's own text form. */
    String[] body();

    /** The value the body returns, as in {@link #body}. */
    String result();

    /**
     * The inference form of a body that reads the mode ({@code training ? a : b}), as {@link #body}
     * (which is then the training form); empty when the body does not read it.
     */
    String[] inferenceBody() default {};

    /** The value {@link #inferenceBody} returns; empty when there is none. */
    String inferenceResult() default "";
}
