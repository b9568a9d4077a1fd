package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a field of a {@link Model} class as a layer. Layers run in declaration order; the
 * field's type ({@code Dense}, {@code Conv2D}, {@code Flatten}, ...) says what the layer is and the
 * field's name is the layer's name, used by taps and checkpoint keys ({@code conv1.kernel}).
 *
 * <p>Only the attributes that apply to the layer type may be set: {@code units} for Dense,
 * {@code filters}, {@code kernel}, {@code strides}, {@code padding} for Conv2D, {@code activation}
 * for both. Anything else is a compile error.
 *
 * <pre>{@code
 * @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
 * @Layer(units = 10, activation = SOFTMAX) Dense out;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Layer {
    /** Output width of a Dense layer (required for Dense). */
    int units() default 0;

    /** Number of output channels of a Conv2D layer (required for Conv2D). */
    int filters() default 0;

    /** Kernel size of a convolution: one value for a square kernel or {height, width}. */
    int[] kernel() default {};

    /** Strides of a convolution or pooling layer: one value or {vertical, horizontal}; default 1 (for pooling: the pool size). */
    int[] strides() default {};

    /** Padding of a Conv2D layer; default {@link Padding#VALID} as in Keras. */
    Padding padding() default Padding.VALID;

    /** Activation applied to the layer's output; default {@link Activation#LINEAR}. */
    Activation activation() default Activation.LINEAR;

    /** Whether a recurrent layer (Lstm, Gru) returns its whole output sequence (true) or only the last step. */
    boolean returnSequences() default false;

    /** Pool size of a pooling layer: one value for a square window or {height, width}; default {2, 2} as in Keras. */
    int[] pool() default {};

    /** Fraction of the inputs a Dropout layer drops while training, strictly between 0 and 1 (required for Dropout). */
    double rate() default 0;

    /** Small constant a normalisation layer adds to the variance; default 1e-3 as in Keras. */
    double epsilon() default 1e-3;

    /** How much of the moving statistics a BatchNorm layer keeps at each training step; default 0.99 as in Keras. */
    double momentum() default 0.99;

    /** Number of distinct ids an Embedding layer maps (required for Embedding). */
    int vocabulary() default 0;

    /** Target shape of a Reshape layer, without the batch dimension (required for Reshape). */
    int[] shape() default {};

    /** Names of the layers this layer reads; default: the layer declared just before it (or the input). */
    String[] inputs() default {};
}
