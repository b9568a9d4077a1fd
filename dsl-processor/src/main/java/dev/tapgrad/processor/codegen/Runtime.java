package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ClassName;

/** The runtime and annotation types generated code refers to, named in one place. */
final class Runtime {
    private Runtime() {}

    static final String PKG = "dev.tapgrad.runtime";
    static final ClassName TENSOR = ClassName.get(PKG, "Tensor");
    static final ClassName PARAMETER = ClassName.get(PKG, "Parameter");
    /** Support for generated code only (not API): the runtime's {@code .internal} package. */
    static final String INTERNAL = PKG + ".internal";
    static final ClassName WORKSPACE = ClassName.get(INTERNAL, "Workspace");
    static final ClassName COMPILED_GRAPH = ClassName.get(INTERNAL, "CompiledGraph");
    static final ClassName MAIN_LOSS = ClassName.get(INTERNAL, "MainLoss");
    static final ClassName DATASET = ClassName.get(PKG, "Dataset");
    static final ClassName FIT = ClassName.get(PKG, "Fit");
    static final ClassName HISTORY = ClassName.get(PKG, "History");
    static final ClassName GRADIENTS = ClassName.get(PKG, "Gradients");
    static final ClassName TRAINABLE_MODEL = ClassName.get(PKG, "TrainableModel");
    static final ClassName TRAINER = ClassName.get(PKG + ".train", "Trainer");
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
