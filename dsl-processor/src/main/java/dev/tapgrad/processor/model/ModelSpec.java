package dev.tapgrad.processor.model;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.processor.diag.Origin;
import java.util.List;
import java.util.Optional;

/**
 * A {@code @Model} class as plain data: everything checks and code generation need, with no
 * {@code javax.lang.model} types, so each check is testable without javac.
 */
public record ModelSpec(
        String packageName,
        String simpleName,
        List<Integer> input,
        Origin inputOrigin,
        LossKind loss,
        Origin lossOrigin,
        List<Metric> metrics,
        List<LayerSpec> layers,
        List<AuxLossSpec> auxLosses,
        AuxLossSpec lossMethod,
        ClassForm form,
        Origin origin,
        boolean fromLogits,
        Origin fromLogitsOrigin,
        Origin metricsOrigin) {

    public ModelSpec {
        input = List.copyOf(input);
        metrics = List.copyOf(metrics);
        layers = List.copyOf(layers);
        auxLosses = List.copyOf(auxLosses);
    }

    /** A model whose main loss takes probabilities ({@code fromLogits = false}), its origins for both at the class. */
    public ModelSpec(String packageName, String simpleName, List<Integer> input, Origin inputOrigin, LossKind loss,
            Origin lossOrigin, List<Metric> metrics, List<LayerSpec> layers, List<AuxLossSpec> auxLosses,
            AuxLossSpec lossMethod, ClassForm form, Origin origin) {
        this(packageName, simpleName, input, inputOrigin, loss, lossOrigin, metrics, layers, auxLosses, lossMethod, form,
                origin, false, origin, origin);
    }

    /** The {@code @Loss} method (if any) followed by every {@code @AuxLoss} method. */
    public List<AuxLossSpec> lossMethods() {
        List<AuxLossSpec> all = new java.util.ArrayList<>();
        if (lossMethod != null) {
            all.add(lossMethod);
        }
        all.addAll(auxLosses);
        return all;
    }

    /** The batched input shape {@code (B, input...)}. */
    public Shape inputShape() {
        return new Shape(true, input);
    }

    /** The layer with this name, if any. */
    public Optional<LayerSpec> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The layer names in declaration order. */
    public List<String> layerNames() {
        return layers.stream().map(LayerSpec::name).toList();
    }

    /** Name of the generated class. */
    public String graphName() {
        return simpleName + "Graph";
    }

    /**
     * The main loss term's name as reported in {@code terms()}: the {@code @Loss} method's name, or
     * the built-in loss kind in lower case.
     */
    public String mainTermName() {
        return lossMethod != null ? lossMethod.method() : loss.name().toLowerCase(java.util.Locale.ROOT);
    }
}
