package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The generated graph's hand-off to the runtime's {@code internal.GraphSteps}, which does what
 * every graph does alike: the {@code steps} field and the named fields of the tapped parameters,
 * the public API as one-line delegations, and the nested {@code Steps} class that passes the model's
 * constants up and implements the passes by calling the graph's own {@code allocate}, {@code
 * forward}, {@code backward} and {@code losses}.
 */
final class StepsEmitter {
    private static final ClassName STEPS = ClassName.get("", "Steps");

    private final ModelSpec spec;
    private final ClassName graphType;
    private final GraphShapes shapes;
    /** Field name of every tapped parameter, by tap text ({@code out.bias}), in order of first tap. */
    private final Map<String, String> parameterFields = new LinkedHashMap<>();
    /** The loss methods that tap each parameter, by tap text, for the fields' Javadoc. */
    private final Map<String, List<String>> tappedBy = new LinkedHashMap<>();

    StepsEmitter(ModelSpec spec, GraphShapes shapes) {
        this.spec = spec;
        this.shapes = shapes;
        this.graphType = ClassName.get(spec.packageName(), spec.graphName());
        for (AuxLossSpec loss : spec.lossMethods()) {
            for (TapRef tap : loss.taps()) {
                if (tap.isParameter()) {
                    parameterFields.putIfAbsent(tap.text(), Names.parameter(tap.layer(), tap.param()));
                    List<String> methods = tappedBy.computeIfAbsent(tap.text(), k -> new ArrayList<>());
                    if (!methods.contains(loss.method())) {
                        methods.add(loss.method());
                    }
                }
            }
        }
    }

    /** The field a parameter tap reads, e.g. {@code intermediateKernel} for {@code intermediate.kernel}. */
    String parameterField(TapRef tap) {
        return parameterFields.get(tap.text());
    }

    /** The {@code steps} field and one field per tapped parameter; the constructor sets them. */
    void fields(TypeSpec.Builder t) {
        t.addField(FieldSpec.builder(STEPS, "steps", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Holds the parameters and runs the training loop's steps around the passes below.\n").build());
        parameterFields.forEach((tap, field) -> t.addField(FieldSpec.builder(Runtime.PARAMETER, field, Modifier.PRIVATE,
                Modifier.FINAL).addJavadoc("Parameter {@code $L}, which $L $L.\n", tap, String.join(" and ", tappedBy.get(tap)),
                        tappedBy.get(tap).size() == 1 ? "taps" : "tap").build()));
    }

    /** The constructor's end, once the layers exist: the steps draw the weights, then the named parameters. */
    void construct(MethodSpec.Builder c) {
        c.addStatement("steps = new Steps(seed)");
        parameterFields.forEach((tap, field) -> c.addStatement("$L = steps.parameter($S)", field, tap));
    }

    /** {@code TrainableModel}'s methods, each handed to the steps in one line. */
    void api(TypeSpec.Builder t) {
        t.addMethod(api("fit", Runtime.HISTORY).addParameter(Runtime.DATASET, "train").addParameter(Runtime.FIT, "options")
                .addStatement("return steps.fit(train, options)").build());
        t.addMethod(api("evaluate", ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class),
                ClassName.get(Double.class))).addParameter(Runtime.DATASET, "data")
                .addStatement("return steps.evaluate(data)").build());
        t.addMethod(api("predict", Runtime.TENSOR).addParameter(Runtime.TENSOR, "x")
                .addStatement("return steps.predict(x)").build());
        t.addMethod(api("gradients", Runtime.GRADIENTS).addParameter(Runtime.TENSOR, "x").addParameter(Runtime.TENSOR, "y")
                .addStatement("return steps.gradients(x, y)").build());
        t.addMethod(api("save", TypeName.VOID).addParameter(Path.class, "file").addException(IOException.class)
                .addStatement("steps.save(file)").build());
        t.addMethod(api("load", TypeName.VOID).addParameter(Path.class, "file").addException(IOException.class)
                .addStatement("steps.load(file)").build());
        t.addMethod(api("summary", ClassName.get(String.class)).addStatement("return steps.summary()").build());
    }

    private static MethodSpec.Builder api(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
    }

    /** The nested {@code Steps}: the model's constants, and the passes as calls of the graph's methods. */
    TypeSpec steps() {
        CodeBlock.Builder model = CodeBlock.builder().add("super($T.of($S)\n$>$>", Runtime.GRAPH_SPEC, spec.simpleName());
        model.add(".input($L)\n", join(spec.input()));
        model.add(".output($L)\n", join(shapes.output().dims()));
        if (spec.lossMethod() != null) {
            model.add(".loss($S)\n", spec.lossMethod().method());
        } else {
            model.add(".loss($T.$L)\n", Runtime.LOSS_KIND, spec.loss().name());
            if (spec.fromLogits()) {
                model.add(".fromLogits()\n");
            }
        }
        for (AuxLossSpec aux : spec.auxLosses()) {
            // the taps go along for the model summary's taps column
            CodeBlock taps = aux.taps().stream().filter(tap -> !tap.isLabels()).map(tap -> CodeBlock.of("$S", tap.text()))
                    .collect(CodeBlock.joining(", "));
            model.add(".auxLoss($S, $L$L)\n", aux.method(), Double.toString(aux.weight()),
                    taps.isEmpty() ? "" : CodeBlock.of(", $L", taps));
        }
        if (!spec.metrics().isEmpty()) {
            model.add(".metrics($L)\n", spec.metrics().stream().map(m -> CodeBlock.of("$T.$L", Runtime.METRIC, m.name()))
                    .collect(CodeBlock.joining(", ")));
        }
        model.add(".layers($L)", spec.layers().stream().map(Names::layer).collect(Collectors.joining(", ")));
        // each layer's output shape as inferred here, for the model summary (the runtime has no wiring to infer it)
        for (LayerSpec layer : spec.layers()) {
            model.add("\n.layerOutput($S, $L)", layer.name(), join(shapes.outputs().get(layer.name()).dims()));
        }
        model.add(", seed$<$<);\n");
        String self = graphType.simpleName() + ".this";
        return TypeSpec.classBuilder(STEPS).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .superclass(Runtime.GRAPH_STEPS)
                .addJavadoc("This model's constants and passes; {@link $T} runs each step of the training loop around\n"
                        + "them and serves the API above.\n", Runtime.GRAPH_STEPS)
                .addMethod(MethodSpec.constructorBuilder().addParameter(TypeName.LONG, "seed").addCode(model.build()).build())
                .addMethod(pass("allocate", TypeName.VOID).addParameter(TypeName.INT, "size")
                        .addStatement("$L.allocate(size)", self).build())
                .addMethod(pass("forward", Runtime.TENSOR).addParameter(Runtime.TENSOR, "x")
                        .addStatement("$L.forward(x)", self).addStatement("return $L", Names.output(shapes.lastLayer())).build())
                .addMethod(pass("backward", TypeName.VOID).addParameter(Runtime.TENSOR, "x").addParameter(Runtime.TENSOR, "y")
                        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "terms")
                        .addStatement("$L.backward(x, y, terms)", self).build())
                .addMethod(pass("losses", TypeName.VOID).addParameter(Runtime.TENSOR, "y")
                        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "terms")
                        .addStatement("$L.losses(y, terms)", self).build())
                .build();
    }

    private static MethodSpec.Builder pass(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PROTECTED).returns(returns);
    }

    private static String join(List<Integer> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
