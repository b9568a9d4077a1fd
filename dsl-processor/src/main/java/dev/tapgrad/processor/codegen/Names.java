package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.Locale;

/** Fixed names in generated code, so the same model always yields the same source. */
public final class Names {
    private Names() {}

    /**
     * Names the generated class uses for its own fields, locals and types, which a layer field
     * (inherited by the generated class) must not take: it would shadow or obscure them.
     */
    static final java.util.Set<String> RESERVED = java.util.Set.of(
            "x", "y", "terms", "seed", "random", "all", "size", "batch", "parameters", "steps", "workspace", "file", "train",
            "options", "data", "input", "Tensor", "Parameter", "List", "ArrayList", "Random", "Map", "Path",
            "IOException", "Losses", "MainLoss", "Arithmetic", "ElementwiseMath", "Reductions", "Shapes",
            "LinearAlgebra", "Probability", "Trainer", "Checkpoints", "Dataset", "Fit", "History", "Gradients",
            "CompiledGraph", "TrainableModel", "Workspace", "Penalties", "OutputPenalty", "Steps", "GraphSteps", "GraphSpec", "Activation", "Padding", "LossKind", "Metric", "Generated", "Override");

    /** Suffixes of the buffers derived from a layer's name. */
    static final java.util.List<String> BUFFER_SUFFIXES = java.util.List.of("Out", "Grad", "Inputs", "InputGrads");

    /**
     * Why {@code layer} cannot be a layer name in {@code model}, or null if it can: the generated
     * class's own names, its buffers' and the fields of the parameters the loss methods tap.
     */
    public static String conflict(String layer, ModelSpec model) {
        if (RESERVED.contains(layer)) {
            return "the generated code uses " + layer + " itself";
        }
        for (LayerSpec other : model.layers()) {
            if (other.kind().definitionClass() != null && layer.equals(layer(other))) {
                return "the generated code names custom layer " + other.name() + "'s runtime layer " + layer;
            }
            for (String suffix : BUFFER_SUFFIXES) {
                if (layer.equals(other.name() + suffix)) {
                    return "the generated code names layer " + other.name() + "'s buffer " + layer;
                }
            }
        }
        for (AuxLossSpec loss : model.lossMethods()) {
            for (TapRef tap : loss.taps()) {
                if (tap.isParameter() && layer.equals(parameter(tap.layer(), tap.param()))) {
                    return "the generated code names the field of parameter " + tap.text() + ", which " + loss.method()
                            + " taps, " + layer;
                }
            }
        }
        return null;
    }

    /** The generated graph's own methods, called from its nested {@code Steps}. */
    static final java.util.List<String> PASSES = java.util.List.of("allocate", "forward", "backward", "losses");
    /** TrainableModel's methods the generated graph implements (a model may declare them abstract). */
    public static final java.util.List<String> API = java.util.List.of("fit", "evaluate", "predict", "gradients", "save", "load");
    /** The generated graph's nested class. */
    static final String STEPS_CLASS = "Steps";

    /**
     * Every member the generated {@code <Model>Graph} declares, by name, with what it is: a member of
     * the model class of the same name would be overridden, hidden or clash with it.
     */
    public static java.util.Map<String, String> generatedMembers(ModelSpec model) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        PASSES.forEach(p -> out.put(p, "method " + p + ", one of its passes"));
        API.forEach(a -> out.put(a, "method " + a + " of TrainableModel"));
        for (AuxLossSpec loss : model.lossMethods()) {
            out.put(auxWithGradient(loss.method()), "method " + auxWithGradient(loss.method()) + ", the compiled form of "
                    + loss.method());
        }
        out.put("steps", "field steps");
        for (LayerSpec l : model.layers()) {
            for (String b : java.util.List.of(output(l.name()), gradient(l.name()), inputs(l.name()), inputGradients(l.name()))) {
                out.putIfAbsent(b, "field " + b + ", a buffer of layer " + l.name());
            }
        }
        for (AuxLossSpec loss : model.lossMethods()) {
            for (TapRef tap : loss.taps()) {
                if (tap.isParameter()) {
                    String f = parameter(tap.layer(), tap.param());
                    out.putIfAbsent(f, "field " + f + ", parameter " + tap.text() + " that " + loss.method() + " taps");
                }
            }
        }
        for (LayerSpec l : model.layers()) {
            if (!layer(l).equals(l.name())) {
                out.putIfAbsent(layer(l), "field " + layer(l) + ", the runtime object of custom layer " + l.name());
            }
        }
        out.put(STEPS_CLASS, "class " + STEPS_CLASS);
        return out;
    }

    /**
     * The graph's expression for a layer's runtime object: the layer field itself, or for a custom
     * layer (whose field holds the user's class) the graph's own field {@code <name>Layer}.
     */
    static String layer(LayerSpec l) {
        return l.kind().definitionClass() == null ? l.name() : l.name() + "Layer";
    }

    /** Buffer holding a layer's output, e.g. {@code conv1Out}. */
    static String output(String layer) {
        return layer + "Out";
    }

    /** Buffer holding the gradient of the total loss with respect to a layer's output. */
    static String gradient(String layer) {
        return layer + "Grad";
    }

    /** Array field holding a merge layer's inputs, e.g. {@code skipInputs}. */
    static String inputs(String layer) {
        return layer + "Inputs";
    }

    /** Array field holding a merge layer's input gradient buffers. */
    static String inputGradients(String layer) {
        return layer + "InputGrads";
    }

    /** Field holding a parameter, e.g. {@code conv1Kernel} for {@code conv1.kernel}. */
    static String parameter(String layer, String param) {
        return layer + capitalize(param);
    }

    /** The generated method that runs an aux loss with its reverse pass. */
    static String auxWithGradient(String method) {
        return method + "WithGradient";
    }

    /** Name of the gradient of a body value, e.g. {@code dConv1}. */
    static String adjoint(String value) {
        return "d" + capitalize(value);
    }

    static String capitalize(String s) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : s.toCharArray()) {
            if (c == '_' || c == '.') {
                up = true;
                continue;
            }
            sb.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return sb.toString();
    }

    /** The Java constant name of an enum value as written in generated code. */
    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
