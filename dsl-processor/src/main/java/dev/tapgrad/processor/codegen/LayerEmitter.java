package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-layer statements of the generated graph (construction, forward call, backward call), as
 * each layer's type describes them.
 */
final class LayerEmitter {
    private final GraphShapes shapes;

    LayerEmitter(GraphShapes shapes) {
        this.shapes = shapes;
    }

    /** {@code conv1 = new Conv2D("conv1", ...)} with every dimension spelled out, as the layer's type lists them. */
    CodeBlock construct(LayerSpec l) {
        CodeBlock.Builder b = CodeBlock.builder().add("$L = new $T($S", Names.layer(l), ClassName.bestGuess(l.kind().runtimeClass()),
                l.name());
        for (Object arg : l.kind().constructorArguments(l.attributes(), shapes.inputs().get(l.name()))) {
            if (arg instanceof Enum<?> e) {
                b.add(", $T.$L", ClassName.get(e.getDeclaringClass()), e.name());
            } else {
                b.add(", $L", arg);
            }
        }
        return b.add(")").build();
    }

    /** For a custom layer, {@code swish = swishLayer.definition()}: its field gets the user's class; else null. */
    CodeBlock definition(LayerSpec l) {
        return l.kind().definitionClass() == null ? null : CodeBlock.of("$L = $L.definition()", l.name(), Names.layer(l));
    }

    /** The input tensors of a layer as Java expressions: {@code x} or another layer's output buffer. */
    List<String> inputs(LayerSpec l) {
        List<String> out = new ArrayList<>();
        for (String in : shapes.wiring().inputsOf().get(l.name())) {
            out.add(in.equals(LayerSpec.MODEL_INPUT) ? "x" : Names.output(in));
        }
        return out;
    }

    /** The gradient buffers of a layer's inputs; {@code null} for the model input, which takes none. */
    List<String> inputGradients(LayerSpec l) {
        List<String> out = new ArrayList<>();
        for (String in : shapes.wiring().inputsOf().get(l.name())) {
            out.add(in.equals(LayerSpec.MODEL_INPUT) ? "null" : Names.gradient(in));
        }
        return out;
    }

    /**
     * The layer whose output buffers this layer's output and gradient are views of, or null when
     * the layer computes into buffers of its own (every type but those whose output views their
     * input, and those of the model input, which changes from call to call).
     */
    String viewedInput(LayerSpec l) {
        if (!l.kind().outputViewsInput()) {
            return null;
        }
        List<String> from = shapes.wiring().inputsOf().get(l.name());
        return from.size() == 1 && !from.get(0).equals(LayerSpec.MODEL_INPUT) ? from.get(0) : null;
    }

    /** The forward call; a merge layer's inputs go through its preallocated array field. */
    void forward(LayerSpec l, CodeBlock.Builder b) {
        List<String> in = inputs(l);
        if (viewedInput(l) != null) {
            b.add("// nothing to compute: $L is a view of $L\n", Names.output(l.name()), in.get(0));
            return;
        }
        if (!l.kind().merges()) {
            b.addStatement("$L.forward($L, $L)", Names.layer(l), in.get(0), Names.output(l.name()));
            return;
        }
        for (int k = 0; k < in.size(); k++) {
            b.addStatement("$L[$L] = $L", Names.inputs(l.name()), k, in.get(k));
        }
        b.addStatement("$L.forward($L, $L)", Names.layer(l), Names.inputs(l.name()), Names.output(l.name()));
    }

    /**
     * The backward call, headed by a comment, with the arguments the layer's type lists: it adds
     * into the inputs' gradient buffers, or, for a type that {@code writesInputGradient}, overwrites
     * the buffer it is the first to reach in the step ({@code accumulate} false), as {@code writers}
     * records in the pass's order. Null when there is nothing to do (a view, or a layer without
     * parameters none of whose inputs takes a gradient).
     */
    CodeBlock backward(LayerSpec l, FirstWriters writers) {
        List<String> g = inputGradients(l);
        if (viewedInput(l) != null || l.kind().parameterNames().isEmpty() && g.stream().allMatch("null"::equals)) {
            return null;
        }
        writers.read(l.name(), l.name() + "'s backward");
        CodeBlock.Builder b = CodeBlock.builder();
        boolean writes = false;
        List<String> from = shapes.wiring().inputsOf().get(l.name());
        for (int k = 0; k < from.size(); k++) {
            if (!from.get(k).equals(LayerSpec.MODEL_INPUT)) {
                // a merge adds every input's gradient; only a single-input type may write
                writes = writers.contribute(from.get(k), writable(l), l.name());
            }
        }
        if (writes) {
            b.add("// $L: the first gradient to reach $L, so it overwrites it\n", l.name(), g.get(0));
        } else {
            b.add("// $L\n", l.name());
        }
        if (l.kind().merges()) {
            for (int k = 0; k < g.size(); k++) {
                b.addStatement("$L[$L] = $L", Names.inputGradients(l.name()), k, g.get(k));
            }
        }
        List<String> args = new ArrayList<>();
        for (LayerType.Argument arg : l.kind().backwardArguments()) {
            args.add(switch (arg) {
                case INPUT -> l.kind().merges() ? Names.inputs(l.name()) : inputs(l).get(0);
                case OUTPUT -> Names.output(l.name());
                case OUTPUT_GRADIENT -> Names.gradient(l.name());
                case INPUT_GRADIENT -> l.kind().merges() ? Names.inputGradients(l.name()) : g.get(0);
            });
        }
        if (writable(l) && !g.get(0).equals("null")) {
            args.add(Boolean.toString(!writes));
        }
        return b.addStatement("$L.backward($L)", Names.layer(l), String.join(", ", args)).build();
    }

    /** Whether the layer's backward takes {@code accumulate}: its type says it can write, and it has one input. */
    private static boolean writable(LayerSpec l) {
        return l.kind().writesInputGradient() && !l.kind().merges();
    }

    /** {@code conv1 (Conv2D): (B, 28, 28, 1) -> (B, 26, 26, 32)}, for comments. */
    String describe(LayerSpec l) {
        List<String> from = shapes.wiring().inputsOf().get(l.name());
        String in = from.size() == 1 ? shapes.input(l.name()).toString()
                : String.join(" + ", from) + " " + shapes.inputs().get(l.name());
        return l.name() + " (" + l.kind().simpleName() + "): " + in + " -> " + shapes.outputs().get(l.name());
    }
}
