package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Base of every layer: a name, its parameters and their Keras-default initialisation. Each layer
 * type has its own {@code forward}/{@code backward} methods, called by the generated graph with
 * buffers it preallocated; shapes are documented on each layer.
 */
public abstract class AbstractLayer {
    private final String name;
    /** Whether backward overwrites the parameters' gradients; see {@link #overwriteParameterGradients}. */
    private boolean overwritesParameterGradients;

    protected AbstractLayer(String name) {
        this.name = name;
    }

    /** The layer's name: the field name in the model class. */
    public final String name() {
        return name;
    }

    /** The trainable parameters in Keras order (e.g. kernel, bias); empty for Flatten. */
    public abstract List<Parameter> parameters();

    /**
     * Makes every later {@code backward} overwrite the parameters' gradients instead of adding into
     * them. Generated graphs call it at construction for a layer whose backward runs in every step
     * and is the first to reach its parameters' gradients (no loss taps them), so that the steps
     * need not zero those gradients before each backward pass (issue 17: for a 512-wide MLP the
     * zeroing was 2.7 MB of writes per step). The graph's steps leave the gradients of such layers
     * alone ({@link #overwritesParameterGradients}).
     *
     * @throws UnsupportedOperationException if this layer's backward can only add (the default)
     */
    public final void overwriteParameterGradients() {
        if (!canOverwriteParameterGradients()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " " + name
                    + ": its backward adds into its parameters' gradients and cannot overwrite them");
        }
        overwritesParameterGradients = true;
    }

    /** Whether {@link #overwriteParameterGradients} was called: backward then writes every parameter's gradient. */
    public final boolean overwritesParameterGradients() {
        return overwritesParameterGradients;
    }

    /** Whether this type's backward writes every parameter gradient when asked to; false by default. */
    protected boolean canOverwriteParameterGradients() {
        return false;
    }

    /**
     * Tensors that are saved and loaded with the parameters but not trained (no gradient, not in
     * the optimizer): BatchNorm's moving statistics, under their Keras names. None by default.
     */
    public List<Parameter> state() {
        return List.of();
    }

    /**
     * A warm-up of this layer's kernels for {@code internal.KernelWarmup}: a small copy of the layer
     * (same kind and configuration, a tiny input), run forward and backward by each call of the pass,
     * so that a background thread drives the JIT past its thresholds on the very methods this layer's
     * steps run, cheaply (issue 17: before C2 compiles them, the Vector API kernels run as a Java
     * fallback many times slower than the scalar code). The copy shares no state with this layer.
     * Null (the default) for a layer whose kernels need no warm-up.
     */
    public WarmUp warmUp() {
        return null;
    }

    /** Draws initial values (Keras defaults: Glorot-uniform kernels, zero biases) from {@code random}. */
    public abstract void initialize(Random random);

    /**
     * The shape of the output {@code forward} writes for inputs of these shapes, batch axis first
     * ({@code (B, ...)}); the shapes each layer takes are in its Javadoc. The processor infers the
     * same shapes at compile time, and a test holds the two to each other.
     *
     * @param inputShapes one shape per input (one for every layer but the merges)
     * @throws IllegalArgumentException if the layer cannot take inputs of these shapes
     */
    public abstract int[] outputShape(int[]... inputShapes);

    /** The only input shape of a single-input layer, checked to have {@code rank} axes (any rank ≥ 2 for -1). */
    final int[] singleInput(int[][] inputShapes, int rank, String expected) {
        if (inputShapes.length != 1 || (rank > 0 ? inputShapes[0].length != rank : inputShapes[0].length < 2)) {
            throw shapeError(expected, inputShapes);
        }
        return inputShapes[0];
    }

    /** The error for inputs a layer cannot take: which layer, what it takes, what it got. */
    final IllegalArgumentException shapeError(String expected, int[]... inputShapes) {
        StringBuilder got = new StringBuilder();
        for (int[] s : inputShapes) {
            got.append(got.length() == 0 ? "" : ", ").append(Arrays.toString(s));
        }
        return new IllegalArgumentException(getClass().getSimpleName() + " " + name + ": takes " + expected + ", got "
                + (inputShapes.length == 0 ? "no input" : got));
    }
}
