package dev.tapgrad.runtime.layers;

import dev.tapgrad.Init;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Base of the runtime layers Tapgrad generates for {@code @CustomLayer} classes: holds the weights
 * the class declares with {@code @Weight} (named {@code layer.field}, drawn by their {@link Init}
 * in declaration order) and the graph's {@link Mode}. The generated subclass adds the forward and
 * backward passes, compiled from the class's {@code call} body. Only generated code extends it.
 */
public abstract class CustomLayerBase extends AbstractLayer implements ModalLayer {
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Init> inits = new ArrayList<>();
    private Mode mode = new Mode(0);
    private int index;

    protected CustomLayerBase(String name) {
        super(name);
    }

    /**
     * Declares the next weight, {@code layer.field}, of {@code shape} (zeros until {@link
     * #initialize}); the generated constructor calls it once per {@code @Weight}, in declaration order.
     *
     * @throws IllegalArgumentException if a dimension is below 1
     */
    protected final Parameter weight(String field, Init init, int... shape) {
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(getClass().getSimpleName() + " " + name() + ": weight " + field
                        + " needs every dimension at least 1, got " + Arrays.toString(shape));
            }
        }
        Parameter p = new Parameter(name() + "." + field, Tensor.zeros(shape));
        weights.add(p);
        inits.add(init);
        return p;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.copyOf(weights);
    }

    /** Draws every weight by its {@link Init}, in declaration order. */
    @Override
    public final void initialize(Random random) {
        for (int i = 0; i < weights.size(); i++) {
            Tensor w = weights.get(i).value();
            int[] shape = w.shape();
            int fanOut = shape.length == 0 ? 1 : shape[shape.length - 1];
            int fanIn = shape.length <= 1 ? fanOut : w.size() / fanOut;
            switch (inits.get(i)) {
                case GLOROT_UNIFORM -> Initializers.glorotUniform(w, fanIn, fanOut, random);
                case HE_NORMAL -> heNormal(w, fanIn, random);
                case ZEROS -> w.fill(0f);
                case ONES -> w.fill(1f);
            }
        }
    }

    /**
     * Keras's he_normal: a normal truncated at two standard deviations (redrawn outside), scaled
     * so that its standard deviation is √(2 / fanIn) (the truncation shrinks it by 0.8796).
     */
    private static void heNormal(Tensor w, int fanIn, Random random) {
        double stddev = Math.sqrt(2.0 / fanIn) / 0.87962566103423978;
        float[] b = w.buffer();
        for (int i = 0; i < b.length; i++) {
            double g;
            do {
                g = random.nextGaussian();
            } while (Math.abs(g) > 2);
            b[i] = (float) (g * stddev);
        }
    }

    @Override
    public final void useMode(Mode mode, int index) {
        this.mode = mode;
        this.index = index;
    }

    /** Whether the current step runs the training forward: what {@code call(..., boolean training)} receives. */
    protected final boolean training() {
        return mode.training();
    }

    /** The graph's mode, for the body's random draws. */
    protected final Mode mode() {
        return mode;
    }

    /** The layer's position among the graph's layers, which keys its random draws. */
    protected final int index() {
        return index;
    }

    /** {@code shape} with a batch of one, for running the body on one example of it. */
    protected static int[] oneExample(int[] shape) {
        int[] one = shape.clone();
        if (one.length > 0) {
            one[0] = 1;
        }
        return one;
    }

    /** Checks that a forward or backward call got as many inputs as {@code call} takes. */
    protected final void checkArity(int expected, int[][] inputShapes) {
        if (inputShapes.length != expected) {
            throw shapeError(expected + " input" + (expected == 1 ? "" : "s"), inputShapes);
        }
    }
}
