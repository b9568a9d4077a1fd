package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.diag.CustomLayerMessages;
import dev.tapgrad.processor.diag.Diagnostic;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.ir.BodyShapes;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code @CustomLayer} class as a layer type, read from its source or, when it was compiled in
 * another javac run, from the {@code @CompiledLayer} on its generated runtime class: the same
 * record either way. Its output shape is its {@code call} body typed with the shapes of the inputs
 * a model gives it, its parameters are its {@code @Weight} fields with the symbols {@code input},
 * {@code units} and {@code filters} replaced by the sizes of the use site.
 *
 * @param definition the qualified name of the {@code @CustomLayer} class, which the model's field declares
 * @param runtimeClass the qualified name of the generated runtime layer, {@code <Name>Layer}
 * @param inputNames {@code call}'s tensor parameters
 * @param body the {@code call} body (its training form when it reads the mode); its inputs are the tensor parameters, then the weights
 * @param inference the body's inference form when it reads the mode ({@code training ? a : b}), else null
 */
public record CustomLayerType(String definition, String runtimeClass, List<String> inputNames, boolean training,
        List<WeightSpec> weights, Program body, Inference inference) implements LayerType {

    /** A layer whose body does not read the mode: one form for training and inference. */
    public CustomLayerType(String definition, String runtimeClass, List<String> inputNames, boolean training,
            List<WeightSpec> weights, Program body) {
        this(definition, runtimeClass, inputNames, training, weights, body, null);
    }

    /**
     * The inference form of a body that reads the mode, and each {@code training ? a : b} with the
     * operand each form took, so that the two branches' shapes can be compared where it is written.
     */
    public record Inference(Program body, List<Branches> conditionals) {
        public Inference {
            conditionals = List.copyOf(conditionals);
        }
    }

    /** One {@code training ? a : b}: where it is, and what the training ({@code a}) and inference ({@code b}) forms computed. */
    public record Branches(Origin at, Operand training, Operand inference) {}

    /** The symbols a weight's shape may name, as written in {@code @Weight.shape}. */
    public static final List<String> SYMBOLS = List.of("input", "units", "filters");

    public CustomLayerType {
        inputNames = List.copyOf(inputNames);
        weights = List.copyOf(weights);
    }

    /**
     * One {@code @Weight} field: its name, its shape entries as written (positive integers or
     * {@link #SYMBOLS}) and its initialiser's name ({@code dev.tapgrad.Init}).
     */
    public record WeightSpec(String name, List<String> shape, String init) {
        public WeightSpec {
            shape = List.copyOf(shape);
        }

        /** The shape with the symbols replaced by {@code sizes} (input, units, filters); symbols as {@link Shape#INPUT}... when null. */
        public Shape resolve(int[] sizes) {
            List<Integer> out = new ArrayList<>();
            for (String e : shape) {
                int s = SYMBOLS.indexOf(e);
                out.add(s < 0 ? Integer.parseInt(e) : sizes == null ? Shape.INPUT - s : sizes[s]);
            }
            return new Shape(out);
        }
    }

    @Override
    public String simpleName() {
        return definition.substring(definition.lastIndexOf('.') + 1);
    }

    @Override
    public String definitionClass() {
        return definition;
    }

    /** {@code units} or {@code filters} when a weight's shape names them (then they must be written), else none. */
    @Override
    public List<Attribute> attributes() {
        List<Attribute> out = new ArrayList<>();
        if (uses("units")) {
            out.add(Attribute.required("units", Rule.POSITIVE, "units = 64", LayerAttributes::units));
        }
        if (uses("filters")) {
            out.add(Attribute.required("filters", Rule.POSITIVE, "filters = 32", LayerAttributes::filters));
        }
        return out;
    }

    private boolean uses(String symbol) {
        return weights.stream().anyMatch(w -> w.shape().contains(symbol));
    }

    @Override
    public List<String> parameterNames() {
        return weights.stream().map(WeightSpec::name).toList();
    }

    @Override
    public boolean merges() {
        return inputNames.size() > 1;
    }

    @Override
    public Shape outputShape(LayerSpec layer, List<Shape> inputs, List<String> from, Report r) {
        if (inputs.size() != inputNames.size()) {
            r.error(Tag.CUSTOM_LAYER, layer.origin(), CustomLayerMessages.arity(simpleName(), layer.name(), inputNames.size(),
                    inputNames, inputs.size()));
            return null;
        }
        List<Shape> shapes = new ArrayList<>(inputs);
        parameterShapes(layer.attributes(), inputs).values().forEach(shapes::add);
        Report scratch = new Report();
        Program typed = BodyShapes.types(body, shapes, scratch);
        Shape out = typed == null ? null : typed.result().shape();
        if (out != null && inference != null) {
            // Both forms must fit the inputs; their outputs agree, as the definition's compilation checked.
            Program other = BodyShapes.types(inference.body(), shapes, scratch);
            out = other == null ? null : out;
        }
        if (out == null || !out.batched() || out.sizes().lastIndexOf(Shape.B) != 0) {
            String why = out == null
                    ? scratch.items().stream().map(Diagnostic::message).reduce((a, b) -> a + "; " + b).orElse("")
                    : CustomLayerMessages.outputNotInferable(simpleName(), out.toString(),
                            "and a layer's output must have the batch axis first, and only there");
            List<String> given = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                given.add(LayerType.source(from.get(i)) + " " + inputs.get(i));
            }
            r.error(Tag.LAYER_SHAPE, layer.origin(), CustomLayerMessages.bodyDoesNotFit(simpleName(), layer.name(),
                    String.join(", ", given), why));
            return null;
        }
        return out;
    }

    @Override
    public Map<String, Shape> parameterShapes(LayerAttributes a, List<Shape> inputs) {
        int[] sizes = sizes(a, inputs);
        Map<String, Shape> out = new LinkedHashMap<>();
        for (WeightSpec w : weights) {
            out.put(w.name(), w.resolve(sizes));
        }
        return out;
    }

    /** {@code new <Name>Layer(name, input, units, filters)}: the sizes the weights' symbols stand for. */
    @Override
    public List<Object> constructorArguments(LayerAttributes a, List<Shape> inputs) {
        int[] sizes = sizes(a, inputs);
        return List.of(sizes[0], sizes[1], sizes[2]);
    }

    private static int[] sizes(LayerAttributes a, List<Shape> inputs) {
        List<Integer> d = inputs.get(0).sizes();
        return new int[] {d.get(d.size() - 1), a.units(), a.filters()};
    }

    @Override
    public List<Argument> backwardArguments() {
        return List.of(Argument.INPUT, Argument.OUTPUT, Argument.OUTPUT_GRADIENT, Argument.INPUT_GRADIENT);
    }
}
