package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import java.util.ArrayList;
import java.util.List;

/** The per-layer statements of the generated graph: construction, forward call, backward call. */
final class LayerEmitter {
    private final GraphShapes shapes;

    LayerEmitter(GraphShapes shapes) {
        this.shapes = shapes;
    }

    /** {@code conv1 = new Conv2D("conv1", ...)} with every dimension spelled out. */
    CodeBlock construct(LayerSpec l) {
        LayerAttributes a = l.attributes();
        return switch (l.kind()) {
            case DENSE -> {
                List<Integer> in = shapes.input(l.name()).dims();
                yield CodeBlock.of("$L = new $T($S, $L, $L, $T.$L)", l.name(), Runtime.layer("Dense"), l.name(),
                        in.get(in.size() - 1), a.units(), Runtime.ACTIVATION, a.activation().name());
            }
            case CONV2D -> {
                List<Integer> in = shapes.input(l.name()).dims();
                yield CodeBlock.of("$L = new $T($S, $L, $L, $L, $L, $L, $L, $L, $L, $T.$L, $T.$L)", l.name(),
                        Runtime.layer("Conv2D"), l.name(), in.get(0), in.get(1), in.get(2), a.filters(), a.kernelH(),
                        a.kernelW(), a.strideH(), a.strideW(), Runtime.PADDING, a.padding().name(), Runtime.ACTIVATION,
                        a.activation().name());
            }
            case LSTM -> {
                List<Integer> in = shapes.input(l.name()).dims();
                yield CodeBlock.of("$L = new $T($S, $L, $L, $L, $L)", l.name(), Runtime.layer("Lstm"), l.name(), in.get(0),
                        in.get(1), a.units(), a.returnSequences());
            }
            case FLATTEN, ADD, CONCATENATE -> CodeBlock.of("$L = new $T($S)", l.name(), Runtime.layer(l.kind().simpleName()),
                    l.name());
        };
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
     * The layer whose output buffers a flatten layer's output and gradient are views of, or null
     * when the layer computes into buffers of its own (every other kind, and a flatten of the
     * model input, which changes from call to call).
     */
    String viewedInput(LayerSpec l) {
        if (l.kind() != dev.tapgrad.processor.model.LayerKind.FLATTEN) {
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
            b.addStatement("$L.forward($L, $L)", l.name(), in.get(0), Names.output(l.name()));
            return;
        }
        for (int k = 0; k < in.size(); k++) {
            b.addStatement("$L[$L] = $L", Names.inputs(l.name()), k, in.get(k));
        }
        b.addStatement("$L.forward($L, $L)", l.name(), Names.inputs(l.name()), Names.output(l.name()));
    }

    /** The backward call, accumulating into the inputs' gradient buffers; null when there is nothing to do. */
    CodeBlock backward(LayerSpec l) {
        List<String> in = inputs(l);
        List<String> g = inputGradients(l);
        String out = Names.output(l.name());
        String grad = Names.gradient(l.name());
        CodeBlock.Builder b = CodeBlock.builder();
        switch (l.kind()) {
            case FLATTEN -> {
                if (g.get(0).equals("null") || viewedInput(l) != null) {
                    return null;
                }
                b.addStatement("$L.backward($L, $L)", l.name(), grad, g.get(0));
            }
            case ADD, CONCATENATE -> {
                for (int k = 0; k < g.size(); k++) {
                    b.addStatement("$L[$L] = $L", Names.inputGradients(l.name()), k, g.get(k));
                }
                if (l.kind() == dev.tapgrad.processor.model.LayerKind.ADD) {
                    b.addStatement("$L.backward($L, $L)", l.name(), grad, Names.inputGradients(l.name()));
                } else {
                    b.addStatement("$L.backward($L, $L, $L)", l.name(), Names.inputs(l.name()), grad,
                            Names.inputGradients(l.name()));
                }
            }
            default -> b.addStatement("$L.backward($L, $L, $L, $L)", l.name(), in.get(0), out, grad, g.get(0));
        }
        return b.build();
    }

    /** {@code conv1 (Conv2D): (B, 28, 28, 1) -> (B, 26, 26, 32)}, for comments. */
    String describe(LayerSpec l) {
        List<String> from = shapes.wiring().inputsOf().get(l.name());
        String in = from.size() == 1 ? shapes.input(l.name()).toString()
                : String.join(" + ", from) + " " + shapes.inputs().get(l.name());
        return l.name() + " (" + l.kind().simpleName() + "): " + in + " -> " + shapes.outputs().get(l.name());
    }
}
