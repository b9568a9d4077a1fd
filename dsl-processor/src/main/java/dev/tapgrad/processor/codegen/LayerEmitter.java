package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
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
        List<Integer> in = shapes.inputs().get(l.name()).dims();
        return switch (l.kind()) {
            case DENSE -> CodeBlock.of("$L = new $T($S, $L, $L, $T.$L)", l.name(), Runtime.layer("Dense"), l.name(),
                    in.get(in.size() - 1), a.units(), Runtime.ACTIVATION, a.activation().name());
            case CONV2D -> CodeBlock.of("$L = new $T($S, $L, $L, $L, $L, $L, $L, $L, $L, $T.$L, $T.$L)", l.name(),
                    Runtime.layer("Conv2D"), l.name(), in.get(0), in.get(1), in.get(2), a.filters(), a.kernelH(),
                    a.kernelW(), a.strideH(), a.strideW(), Runtime.PADDING, a.padding().name(), Runtime.ACTIVATION,
                    a.activation().name());
            case FLATTEN -> CodeBlock.of("$L = new $T($S)", l.name(), Runtime.layer("Flatten"), l.name());
        };
    }

    /** {@code conv1.forward(x, conv1Out)}. */
    CodeBlock forward(LayerSpec l, String input) {
        return CodeBlock.of("$L.forward($L, $L)", l.name(), input, Names.output(l.name()));
    }

    /**
     * The layer's backward call; {@code inputGrad} is null for the first layer, whose input needs no
     * gradient.
     */
    CodeBlock backward(LayerSpec l, String input, String inputGrad) {
        String g = inputGrad == null ? "null" : inputGrad;
        return switch (l.kind()) {
            case FLATTEN -> inputGrad == null ? null
                    : CodeBlock.of("$L.backward($L, $L)", l.name(), Names.gradient(l.name()), g);
            default -> CodeBlock.of("$L.backward($L, $L, $L, $L)", l.name(), input, Names.output(l.name()),
                    Names.gradient(l.name()), g);
        };
    }

    /** {@code conv1 (Conv2D): (B, 28, 28, 1) -> (B, 26, 26, 32)}, for comments. */
    String describe(LayerSpec l) {
        return l.name() + " (" + l.kind().simpleName() + "): " + shapes.inputs().get(l.name()) + " -> "
                + shapes.outputs().get(l.name());
    }
}
