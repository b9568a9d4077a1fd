package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ClassName;

/** The runtime and annotation types generated code refers to, named in one place. */
final class Runtime {
    private Runtime() {}

    static final String PKG = "dev.tapgrad.runtime";
    static final ClassName TENSOR = ClassName.get(PKG, "Tensor");
    static final ClassName PARAMETER = ClassName.get(PKG, "Parameter");
    /** Support for generated code only (not API): the runtime's {@code .internal} packages. */
    static final String INTERNAL = PKG + ".internal";
    static final ClassName WORKSPACE = ClassName.get(INTERNAL + ".tensor", "Workspace");
    static final ClassName MAIN_LOSS = ClassName.get(INTERNAL, "MainLoss");
    static final ClassName GRAPH_STEPS = ClassName.get(INTERNAL, "GraphSteps");
    static final ClassName GRAPH_SPEC = ClassName.get(INTERNAL, "GraphSpec");
    static final ClassName DATASET = ClassName.get(PKG, "Dataset");
    static final ClassName FIT = ClassName.get(PKG, "Fit");
    static final ClassName HISTORY = ClassName.get(PKG, "History");
    static final ClassName GRADIENTS = ClassName.get(PKG, "Gradients");
    static final ClassName TRAINABLE_MODEL = ClassName.get(PKG, "TrainableModel");
    static final ClassName LOSS_KIND = ClassName.get("dev.tapgrad", "LossKind");
    static final ClassName METRIC = ClassName.get("dev.tapgrad", "Metric");
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    /** The runtime class of a layer kind, e.g. {@code dev.tapgrad.runtime.layers.Dense}. */
    static ClassName layer(String simpleName) {
        return ClassName.get(PKG + ".layers", simpleName);
    }
}
