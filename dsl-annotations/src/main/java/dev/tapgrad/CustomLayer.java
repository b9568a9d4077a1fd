package dev.tapgrad;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an abstract class as a user-defined layer: its {@link Weight} fields are the layer's
 * parameters and its one {@code Tensor call(Tensor... inputs)} method (optionally with a trailing
 * {@code boolean training}) is the forward body, written with the ops of {@code
 * dev.tapgrad.runtime.Ops} and checked and differentiated at compile time like a loss body.
 *
 * <p>Where the class is compiled the processor generates {@code <Name>Layer}, the runtime layer
 * with the forward and backward passes, and records on it what a model in another compilation or
 * jar needs to use the layer without its source. A model uses it as any other layer: {@code
 * @Layer(units = 8) Swish swish;}, {@code @Layer(inputs = {"zMean", "zLogVar"}) Sampling z;}.
 *
 * <pre>{@code
 * @CustomLayer
 * public abstract class Swish {
 *     @Weight(shape = {"input", "units"}) Tensor kernel;
 *     @Weight(shape = {"units"}, init = Init.ZEROS) Tensor bias;
 *     Tensor call(Tensor x) { Tensor h = add(matmul(x, kernel), bias); return mul(h, sigmoid(h)); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CustomLayer {}
