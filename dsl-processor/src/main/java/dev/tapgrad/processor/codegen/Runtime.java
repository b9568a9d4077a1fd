package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ClassName;

/** The runtime and annotation types generated code refers to, named in one place. */
final class Runtime {
    private Runtime() {}

    static final String PKG = "dev.tapgrad.runtime";
    static final ClassName TENSOR = ClassName.get(PKG, "Tensor");
    static final ClassName PARAMETER = ClassName.get(PKG, "Parameter");
    static final ClassName WORKSPACE = ClassName.get(PKG, "Workspace");
    static final ClassName PENALTIES = ClassName.get(PKG + ".kernel", "Penalties");
    static final ClassName OUTPUT_PENALTY = ClassName.get(PKG + ".layers", "OutputPenalty");
    static final ClassName DATASET = ClassName.get(PKG, "Dataset");
    static final ClassName FIT = ClassName.get(PKG, "Fit");
    static final ClassName HISTORY = ClassName.get(PKG, "History");
    static final ClassName GRADIENTS = ClassName.get(PKG, "Gradients");
    static final ClassName TRAINABLE_MODEL = ClassName.get(PKG, "TrainableModel");
    static final ClassName COMPILED_GRAPH = ClassName.get(PKG + ".train", "CompiledGraph");
    static final ClassName GRAPH_STEPS = ClassName.get(PKG + ".internal", "GraphSteps");
    static final ClassName GRAPH_SPEC = ClassName.get(PKG + ".internal", "GraphSpec");
    static final ClassName TRAINER = ClassName.get(PKG + ".train", "Trainer");
    static final ClassName LOSSES = ClassName.get(PKG + ".loss", "Losses");
    static final ClassName CHECKPOINTS = ClassName.get(PKG + ".io", "Checkpoints");
    static final ClassName ACTIVATION = ClassName.get("dev.tapgrad", "Activation");
    static final ClassName PADDING = ClassName.get("dev.tapgrad", "Padding");
    static final ClassName LOSS_KIND = ClassName.get("dev.tapgrad", "LossKind");
    static final ClassName METRIC = ClassName.get("dev.tapgrad", "Metric");
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    /** The runtime class of a layer kind, e.g. {@code dev.tapgrad.runtime.layers.Dense}. */
    static ClassName layer(String simpleName) {
        return ClassName.get(PKG + ".layers", simpleName);
    }
}
