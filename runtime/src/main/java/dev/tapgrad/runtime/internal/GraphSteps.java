package dev.tapgrad.runtime.internal;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.tensor.Draws;
import dev.tapgrad.runtime.internal.tensor.GradientZeros;
import dev.tapgrad.runtime.internal.tensor.Workspace;
import dev.tapgrad.runtime.io.Checkpoints;
import dev.tapgrad.runtime.layers.AbstractLayer;
import dev.tapgrad.runtime.layers.ModalLayer;
import dev.tapgrad.runtime.layers.Mode;
import dev.tapgrad.runtime.train.CompiledGraph;
import dev.tapgrad.runtime.train.Trainer;
import dev.tapgrad.runtime.train.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Everything a generated {@code <Model>Graph} does the same way as every other: it holds the
 * parameters, the workspace and the batch size the buffers are allocated for, runs the three steps
 * the training loop drives around the graph's own passes, and serves the graph's public API
 * ({@code fit}, {@code evaluate}, ...), which hands off here in one line each.
 *
 * <p>The generated graph extends the user's model class, so this cannot be its superclass: each
 * graph has a nested {@code Steps extends GraphSteps} that passes the model's constants (a {@link
 * GraphSpec}) up and implements the passes by calling the graph's {@code allocate}, {@code
 * forward}, {@code backward} and {@code losses}. A step allocates nothing here: the buffers are
 * reallocated only when the batch size changes, and the ops' temporaries come from the workspace.
 * Only generated code extends this class.
 */
public abstract class GraphSteps implements CompiledGraph {
    private final String modelName;
    private final int[] inputShape;
    private final int[] outputShape;
    private final LossKind lossKind;
    private final boolean fromLogits;
    private final List<Metric> metrics;
    private final List<String> termNames;
    private final double[] termWeights;
    private final List<Parameter> parameters;
    private final GradientZeros zeros;
    /** The parameters, then the layers' untrained state (moving statistics): what a checkpoint holds. */
    private final List<Parameter> checkpointed;
    /** Training or inference, set before every step; the modal layers read it. */
    private final Mode mode;
    /** Recycles the tensors the loss code's ops create; open while a step runs. */
    private final Workspace workspace = new Workspace();
    /** What fit leaves for the next fit: optimizer state, epochs trained (the shuffle's position). */
    private final TrainingState training = new TrainingState();
    /** The batch size the graph's buffers are allocated for; -1 before the first batch. */
    private int batch = -1;
    /** The model summary's table, made once: nothing in it changes after construction. */
    private final String summary;

    /** The kernel warm-up started with this graph, which the first fit waits for; null when none runs. */
    private final Thread warmup;

    /**
     * Takes the model's constants from {@code spec} and draws every layer's initial weights (Keras
     * defaults), layer after layer in declaration order, from one {@code new Random(seed)}: the same
     * seed gives the same weights. Dropout masks (and the draws of the random ops in loss and layer
     * bodies, through the workspace) are drawn from the same seed through the graph's
     * {@link Mode}, which every {@link ModalLayer} gets here.
     */
    protected GraphSteps(GraphSpec spec, long seed) {
        this.modelName = spec.modelName;
        this.inputShape = spec.inputShape;
        this.outputShape = spec.outputShape;
        this.lossKind = spec.lossKind;
        this.fromLogits = spec.fromLogits;
        this.metrics = spec.metrics;
        this.termNames = spec.termNames();
        this.termWeights = spec.termWeights();
        Random random = new Random(seed);
        this.mode = new Mode(seed);
        List<Parameter> all = new ArrayList<>();
        List<Parameter> zeroed = new ArrayList<>();
        List<Parameter> state = new ArrayList<>();
        for (int i = 0; i < spec.layers.size(); i++) {
            AbstractLayer layer = spec.layers.get(i);
            layer.initialize(random);
            all.addAll(layer.parameters());
            if (!layer.overwritesParameterGradients()) {
                zeroed.addAll(layer.parameters()); // the others' backward writes them in every step
            }
            state.addAll(layer.state());
            if (layer instanceof ModalLayer modal) {
                modal.useMode(mode, i);
            }
        }
        // The random ops draw from the same seed as Dropout, numbered apart from its layers (-1, -2, ...).
        workspace.drawFrom(new Draws((draw, index) -> mode.uniform(-1 - draw, index)));
        this.parameters = List.copyOf(all);
        this.zeros = new GradientZeros(zeroed);
        all.addAll(state);
        this.checkpointed = List.copyOf(all);
        this.summary = ModelSummary.of(spec);
        this.warmup = KernelWarmup.start(spec.layers);
    }

    // ---- the graph's passes, generated -------------------------------------------------------

    /** Allocates the graph's activation and gradient buffers for batches of {@code size}. */
    protected abstract void allocate(int size);

    /** Runs every layer on {@code x}; returns the output buffer (the predictions). */
    protected abstract Tensor forward(Tensor x);

    /**
     * Computes every loss term into {@code terms} and adds the gradient of the weighted total into
     * every parameter's gradient, which is zero when this is called.
     */
    protected abstract void backward(Tensor x, Tensor y, double[] terms);

    /** Computes every loss term into {@code terms}, without gradients. */
    protected abstract void losses(Tensor y, double[] terms);

    // ---- what the graph's public API hands off to ------------------------------------------

    /** See {@link dev.tapgrad.runtime.TrainableModel#fit}. */
    public final History fit(Dataset train, Fit options) {
        KernelWarmup.await(warmup);
        return Trainer.fit(this, train, options);
    }

    /** See {@link dev.tapgrad.runtime.TrainableModel#evaluate}. */
    public final Map<String, Double> evaluate(Dataset data) {
        return Trainer.evaluate(this, data);
    }

    /** See {@link dev.tapgrad.runtime.TrainableModel#predict}. */
    public final Tensor predict(Tensor x) {
        return Trainer.predict(this, x);
    }

    /** See {@link dev.tapgrad.runtime.TrainableModel#gradients}. */
    public final Gradients gradients(Tensor x, Tensor y) {
        return Trainer.gradients(this, x, y);
    }

    /** See {@link dev.tapgrad.runtime.TrainableModel#summary}. */
    public final String summary() {
        return summary;
    }

    /** See {@link dev.tapgrad.runtime.TrainableModel#save}. */
    public final void save(Path file) throws IOException {
        Checkpoints.save(file, checkpointed);
    }

    /** See {@link dev.tapgrad.runtime.TrainableModel#load}. */
    public final void load(Path file) throws IOException {
        Checkpoints.load(file, checkpointed, modelName);
    }

    /**
     * The parameter named {@code name} ({@code layer.param}, as in a tap), for the graph's named
     * parameter fields.
     *
     * @throws IllegalArgumentException if no layer has it
     */
    public final Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(modelName + " has no parameter " + name);
    }

    /** The workspace the ops of a step take their results from; open while a step runs. */
    public final Workspace workspace() {
        return workspace;
    }

    // ---- CompiledGraph ------------------------------------------------------------------------

    @Override
    public final String modelName() {
        return modelName;
    }

    @Override
    public final int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public final int[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public final LossKind lossKind() {
        return lossKind;
    }

    @Override
    public final boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public final List<Metric> metrics() {
        return metrics;
    }

    @Override
    public final List<String> termNames() {
        return termNames;
    }

    @Override
    public final double[] termWeights() {
        return termWeights.clone();
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final List<Parameter> state() {
        return checkpointed.subList(parameters.size(), checkpointed.size());
    }

    @Override
    public final TrainingState trainingState() {
        return training;
    }

    @Override
    public final long randomStep() {
        return mode.step();
    }

    @Override
    public final void randomStep(long step) {
        mode.seek(step);
    }

    /** {@code fit}'s step: the training forward, moving statistics updated, then the next step's dropout masks. */
    @Override
    public final Tensor trainStep(Tensor x, Tensor y, double[] terms) {
        mode.fitting();
        try {
            return differentiate(x, y, terms);
        } finally {
            mode.advance();
        }
    }

    /**
     * {@code gradients}' step: the training forward with the masks {@code fit}'s next step would
     * draw, and nothing updated, so the call changes no state a later step sees.
     */
    @Override
    public final Tensor gradientStep(Tensor x, Tensor y, double[] terms) {
        mode.differentiating();
        return differentiate(x, y, terms);
    }

    private Tensor differentiate(Tensor x, Tensor y, double[] terms) {
        workspace.open();
        try {
            Tensor predictions = runForward(x);
            // layers and taps accumulate into these, so they start at zero, but for the layers that overwrite theirs
            zeros.zero();
            backward(x, y, terms);
            return predictions;
        } finally {
            workspace.close();
        }
    }

    @Override
    public final Tensor evaluateStep(Tensor x, Tensor y, double[] terms) {
        mode.inferring();
        workspace.open();
        try {
            Tensor predictions = runForward(x);
            losses(y, terms);
            return predictions;
        } finally {
            workspace.close();
        }
    }

    @Override
    public final Tensor predictStep(Tensor x) {
        mode.inferring();
        return runForward(x);
    }

    /** The forward pass, after (re)allocating the buffers if the batch size changed, and only then. */
    private Tensor runForward(Tensor x) {
        int size = x.dim(0);
        if (size != batch) {
            allocate(size);
            batch = size;
        }
        return forward(x);
    }
}
