package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Report;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the processor knows about one layer type: the {@code @Layer} attributes it accepts,
 * its output-shape rule, its parameters, how generated code builds and calls its runtime class,
 * and what that class can do besides forward and backward. Checks and codegen ask this interface
 * and never name a type; the built-in types are {@code dev.tapgrad.processor.layers}, one file each.
 */
public interface LayerType {
    /** Simple name of the runtime class in {@code dev.tapgrad.runtime.layers}: the type a {@code @Layer} field declares. */
    String simpleName();

    /** Qualified name of the runtime class generated code builds: the built-in layer of {@link #simpleName}. */
    default String runtimeClass() {
        return "dev.tapgrad.runtime.layers." + simpleName();
    }

    /**
     * The qualified name of the user's {@code @CustomLayer} class the model's field declares, or null
     * for a built-in type. For a custom layer the field holds that class's view of the runtime
     * layer (its {@code @Weight} fields are the live weights), and the graph keeps the runtime
     * layer itself in a field of its own.
     */
    default String definitionClass() {
        return null;
    }

    /**
     * The {@code @Layer} attributes this type accepts ({@code inputs} is accepted by all), in the
     * order they are checked; none by default.
     */
    default List<Attribute> attributes() {
        return List.of();
    }

    /**
     * Keras names of the trainable parameters in the runtime layer's order; {@code layer.name} is
     * the checkpoint key. None by default.
     */
    default List<String> parameterNames() {
        return List.of();
    }

    /** Whether the layer reads several inputs (and so needs {@code inputs = {...}}); its calls take arrays. */
    default boolean merges() {
        return false;
    }

    /**
     * Whether the output can be a view of the input's values and the output's gradient one of the
     * input's gradient, through the runtime layer's {@code view(Tensor)}, so the layer costs nothing.
     */
    default boolean outputViewsInput() {
        return false;
    }

    /**
     * Whether the runtime layer's {@code backward} can overwrite its input's gradient instead of
     * adding into it: it then takes a trailing {@code boolean accumulate} after the
     * {@link #backwardArguments}, and generated code passes false where the layer is the first to
     * give that buffer a gradient in a step, so that the buffer needs no zeroing before the
     * backward pass (the first writer overwrites, later ones add). The layer must then store every
     * value of dL/dx, zeros included, never read the buffer's stale ones. False by default (custom
     * layers and any type that does not say so): those layers add, and a buffer they reach first is
     * zeroed. A merge's several input gradients are always added into.
     */
    default boolean writesInputGradient() {
        return false;
    }

    /**
     * Whether the runtime layer can overwrite its parameters' gradients in backward
     * ({@code overwriteParameterGradients()} at construction): generated code asks for it where the
     * layer's backward runs in every step and no loss taps its parameters (a weight loss adds into
     * them before the layer's backward), and the steps then do not zero those gradients. False by
     * default: the steps zero the parameters' gradients and the layer adds into them.
     */
    default boolean writesParameterGradients() {
        return false;
    }

    /**
     * Whether the runtime layer can run a following {@link #takesFeed fed} layer's per-batch passes
     * in its own loops ({@code feedBatchNorm(next)} at construction): generated code asks for it
     * where the next layer reads this layer's output alone and no loss taps that output (see
     * {@code codegen.NormalizationFeeds}). False by default.
     */
    default boolean feedsNormalization() {
        return false;
    }

    /**
     * Whether a producer that {@link #feedsNormalization feeds normalization} can run this layer's
     * batch statistics and dL/dx passes for it (a BatchNorm). False by default.
     */
    default boolean takesFeed() {
        return false;
    }

    /**
     * Whether the runtime layer can compute an L1 or L2 penalty on its own output inside its passes
     * ({@code penalize(OutputPenalty, weight)} at construction, {@code penalty()} after forward).
     */
    default boolean takesOutputPenalty() {
        return false;
    }

    /**
     * The output shape for inputs of these shapes (batched), or null after reporting on {@code r}
     * why the layer cannot take them.
     *
     * @param from the names the inputs come from, {@link LayerSpec#MODEL_INPUT} for the model's input
     */
    Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r);

    /**
     * Each parameter's shape by Keras name, in {@link #parameterNames} order, for inputs
     * {@link #outputShape} accepted; none by default.
     */
    default Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        return Map.of();
    }

    /**
     * The runtime constructor's arguments after the layer's name, for inputs {@link #outputShape}
     * accepted: {@code Integer}, {@code Double}, {@code Boolean} or enum constants. None by default: {@code new
     * Layer(name)}.
     */
    default List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        return List.of();
    }

    /**
     * The runtime layer's {@code backward} parameters, in order. Every type's {@code forward} takes
     * (input, output), a merge's inputs as an array.
     */
    List<Argument> backwardArguments();

    /** How messages name where an input comes from: another layer, or "the input". */
    static String source(String from) {
        return from.equals(LayerSpec.MODEL_INPUT) ? "the input" : from;
    }

    /** A buffer passed to a runtime layer's call; a merge's inputs and input gradients are arrays. */
    enum Argument {
        /** The input (x), or a merge's inputs. */
        INPUT,
        /** The output of the forward call. */
        OUTPUT,
        /** dL/d output. */
        OUTPUT_GRADIENT,
        /**
         * The input's gradient buffer, accumulated into or, for a type that {@link #writesInputGradient},
         * overwritten when its call says so (null when the input is the model's), or a merge's array of them.
         */
        INPUT_GRADIENT
    }

    /** What an attribute's value must be; javac has already checked its Java type. */
    enum Rule {
        /** Any value of the attribute's type (an enum or boolean). */
        ANY,
        /** An int of at least 1. */
        POSITIVE,
        /** One int (square) or two, {height, width}, each at least 1. */
        POSITIVE_PAIR,
        /** Exactly one int, at least 1: a length along one axis (Conv1D's kernel and strides). */
        POSITIVE_SINGLE,
        /** A target shape without the batch: at least one dimension, each at least 1, except one that may be -1 (Keras's "infer it"). */
        TARGET_SHAPE,
        // Dropout, BatchNorm and LayerNorm
        /** A double strictly between 0 and 1: Dropout's rate. */
        OPEN_FRACTION,
        /** A double from 0 to 1, both included: BatchNorm's momentum. */
        FRACTION,
        /** A double greater than 0: a normalisation's epsilon. */
        POSITIVE_REAL
    }

    /**
     * One accepted {@code @Layer} attribute.
     *
     * @param defaultValue what the layer uses when the attribute is not written, as the user would
     *     write it; null when the attribute is required
     * @param example attributes that make a minimal valid {@code @Layer(...)}, for "needs" messages
     * @param value reads the attribute's value from the layer's attributes
     */
    record Attribute(String name, Rule rule, String defaultValue, String example,
            Function<LayerAttributes, Object> value) {
        /** An attribute that must be written. */
        public static Attribute required(String name, Rule rule, String example, Function<LayerAttributes, Object> value) {
            return new Attribute(name, rule, null, example, value);
        }

        /** An attribute with a default. */
        public static Attribute optional(String name, Rule rule, String defaultValue, Function<LayerAttributes, Object> value) {
            return new Attribute(name, rule, defaultValue, null, value);
        }

        /** Whether the attribute must be written. */
        public boolean required() {
            return defaultValue == null;
        }
    }
}
