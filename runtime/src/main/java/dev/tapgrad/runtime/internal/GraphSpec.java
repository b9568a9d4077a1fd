package dev.tapgrad.runtime.internal;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.layers.AbstractLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a generated graph tells its {@link GraphSteps}: the model's name, shapes, loss terms with
 * their weights, metrics and layers, written as a chain of named calls so that the generated code
 * reads as a description of the model. Only generated code builds one, once per graph.
 */
public final class GraphSpec {
    final String modelName;
    int[] inputShape = new int[0];
    int[] outputShape = new int[0];
    LossKind lossKind = LossKind.NONE;
    boolean fromLogits;
    String mainTerm;
    final List<String> auxTerms = new ArrayList<>();
    final List<Double> auxWeights = new ArrayList<>();
    /** The taps of each auxiliary loss ({@code conv1}, {@code out.kernel}), parallel to {@link #auxTerms}. */
    final List<List<String>> auxTaps = new ArrayList<>();
    /** Each layer's output shape without the batch axis, as the processor inferred it, by layer name. */
    final Map<String, int[]> layerOutputs = new LinkedHashMap<>();
    List<Metric> metrics = List.of();
    List<AbstractLayer> layers = List.of();

    private GraphSpec(String modelName) {
        this.modelName = modelName;
    }

    /** A graph of the model class named {@code modelName} (its simple name, for messages). */
    public static GraphSpec of(String modelName) {
        return new GraphSpec(modelName);
    }

    /** The shape of one input example, without the batch axis. */
    public GraphSpec input(int... shape) {
        inputShape = shape.clone();
        return this;
    }

    /** The shape of one prediction (and one label), without the batch axis. */
    public GraphSpec output(int... shape) {
        outputShape = shape.clone();
        return this;
    }

    /** A built-in main loss; its term is named as the kind in lower case, e.g. {@code categorical_crossentropy}. */
    public GraphSpec loss(LossKind kind) {
        lossKind = kind;
        mainTerm = kind.name().toLowerCase(Locale.ROOT);
        return this;
    }

    /** The built-in main loss takes logits ({@code @Model(fromLogits = true)}): binary accuracy thresholds at 0. */
    public GraphSpec fromLogits() {
        fromLogits = true;
        return this;
    }

    /** A {@code @Loss} method as the main loss; its term is named as the method. */
    public GraphSpec loss(String method) {
        lossKind = LossKind.NONE;
        mainTerm = method;
        return this;
    }

    /**
     * An auxiliary loss, in declaration order: its term is named as the method and weighs {@code
     * weight}; {@code taps} are the layer outputs and parameters it reads, for the model summary.
     */
    public GraphSpec auxLoss(String method, double weight, String... taps) {
        auxTerms.add(method);
        auxWeights.add(weight);
        auxTaps.add(List.of(taps));
        return this;
    }

    /** The shape of one example of {@code layer}'s output, without the batch axis, for the model summary. */
    public GraphSpec layerOutput(String layer, int... shape) {
        layerOutputs.put(layer, shape.clone());
        return this;
    }

    /** The metrics to report besides the loss terms. */
    public GraphSpec metrics(Metric... reported) {
        metrics = List.of(reported);
        return this;
    }

    /** Every layer, in declaration order: their parameters, in this order, are the graph's. */
    public GraphSpec layers(AbstractLayer... all) {
        layers = List.of(all);
        return this;
    }

    /** The term names: the main loss first, then each auxiliary loss. */
    List<String> termNames() {
        if (mainTerm == null) {
            throw new IllegalStateException(modelName + ": the graph spec names no main loss");
        }
        List<String> names = new ArrayList<>();
        names.add(mainTerm);
        names.addAll(auxTerms);
        return List.copyOf(names);
    }

    /** The term weights, parallel to {@link #termNames()}: the main loss weighs 1. */
    double[] termWeights() {
        double[] w = new double[1 + auxWeights.size()];
        w[0] = 1.0;
        for (int i = 0; i < auxWeights.size(); i++) {
            w[i + 1] = auxWeights.get(i);
        }
        return w;
    }
}
