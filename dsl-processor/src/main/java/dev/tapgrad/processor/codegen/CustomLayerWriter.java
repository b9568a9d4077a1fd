package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tapgrad.processor.ir.Adjoint;
import dev.tapgrad.processor.ir.Instr;
import dev.tapgrad.processor.ir.IrText;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import dev.tapgrad.processor.layers.CustomLayerType;
import dev.tapgrad.processor.layers.CustomLayerType.WeightSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code <Name>Layer}, the runtime layer of a {@code @CustomLayer} class: it extends the
 * runtime's {@code CustomLayerBase}, declares the weights, and runs the {@code call} body forward
 * and its reverse pass backward inside a nested {@code Definition extends <Name>}, so the body's
 * names (weights, constants) mean there what they mean in the user's class. The intermediate
 * values of the latest forward stay in fields for backward (they live in the graph's workspace
 * until the step ends). {@code @CompiledLayer} on the class records what a later compilation needs.
 */
public final class CustomLayerWriter {
    private static final ClassName BASE = ClassName.get(Runtime.PKG + ".layers", "CustomLayerBase");
    private static final ClassName INIT = ClassName.get("dev.tapgrad", "Init");
    private static final ClassName COMPILED = ClassName.get("dev.tapgrad", "CompiledLayer");
    private static final ClassName DEFINITION = ClassName.get("", "Definition");

    private final CustomLayerType type;
    /** The body's forms: one, or the training then the inference form when the body reads the mode. */
    private final List<Form> forms = new ArrayList<>();
    private final Program program;
    private final ClassName layerClass;
    private final ClassName userClass;
    private final NameAllocator names = new NameAllocator();
    private final String mode;
    private final List<String> weightGrads = new ArrayList<>();
    private final List<String> inputGrads = new ArrayList<>();
    private final String out;
    private final String gOut;

    /**
     * @param program the typed body; its inputs are {@code call}'s tensors, then the weights
     * @param memberNames every member name of the user's class, which the generated names must not hide
     */
    public CustomLayerWriter(CustomLayerType type, Program program, Adjoint adjoint, Collection<String> memberNames) {
        this(type, program, adjoint, null, null, memberNames);
    }

    /**
     * A layer whose body reads the mode: {@code program} is its typed training form, {@code
     * inference} its typed inference form, each with its reverse pass.
     */
    public CustomLayerWriter(CustomLayerType type, Program program, Adjoint adjoint, Program inference,
            Adjoint inferenceAdjoint, Collection<String> memberNames) {
        this.type = type;
        this.program = program;
        this.layerClass = ClassName.bestGuess(type.runtimeClass());
        this.userClass = ClassName.bestGuess(type.definition());
        for (String m : memberNames) {
            names.newName(m, "member " + m);
        }
        Form first = new Form(program, adjoint);
        forms.add(first);
        for (int i = 0; i < program.inputs().size(); i++) {
            Value v = program.inputs().get(i);
            // a weight is the inherited field of that name, set to the live weight; an input is a parameter of that name
            first.valueNames.put(v, i < type.inputNames().size() ? names.newName(v.name()) : v.name());
        }
        if (inference != null) {
            Form second = new Form(inference, inferenceAdjoint);
            forms.add(second);
            for (int i = 0; i < inference.inputs().size(); i++) {
                second.valueNames.put(inference.inputs().get(i), first.valueNames.get(program.inputs().get(i)));
            }
        }
        for (Form f : forms) {
            for (Instr in : f.program.instrs()) {
                f.valueNames.put(in.result(), names.newName(in.result().name()));
            }
        }
        this.mode = inference == null ? null : names.newName("training");
        this.out = names.newName("out");
        this.gOut = names.newName("gOut");
        for (String in : type.inputNames()) {
            inputGrads.add(names.newName(Names.adjoint(in) + "Into"));
        }
        for (WeightSpec w : type.weights()) {
            weightGrads.add(names.newName(w.name() + "Grad"));
        }
    }

    /** The generated source file. */
    public JavaFile write() {
        TypeSpec.Builder t = TypeSpec.classBuilder(layerClass).addModifiers(Modifier.PUBLIC, Modifier.FINAL).superclass(BASE)
                .addAnnotation(AnnotationSpec.builder(Runtime.GENERATED)
                        .addMember("value", "$S", "dev.tapgrad.processor.TapgradProcessor").build())
                .addAnnotation(compiled())
                .addJavadoc("The runtime layer of {@link $T}, generated by Tapgrad: its weights, and its {@code call} body\n"
                        + "forward and differentiated backward.\n", userClass);
        List<String> fields = new ArrayList<>();
        NameAllocator own = new NameAllocator();
        for (String reserved : List.of("definition", "name")) {
            own.newName(reserved);
        }
        for (WeightSpec w : type.weights()) {
            String f = own.newName(w.name());
            fields.add(f);
            t.addField(FieldSpec.builder(Runtime.PARAMETER, f, Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Weight {@code $L}, shape ($L).\n", w.name(), String.join(", ", w.shape())).build());
        }
        t.addField(FieldSpec.builder(DEFINITION, "definition", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("new $T()", DEFINITION)
                .addJavadoc("The user's class with the compiled body; the model's field holds it.\n").build());
        MethodSpec.Builder c = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addParameter(String.class, "name").addParameter(TypeName.INT, "input").addParameter(TypeName.INT, "units")
                .addParameter(TypeName.INT, "filters")
                .addJavadoc("A layer named {@code name} whose weights' symbols {@code input}, {@code units}, {@code filters} take\n"
                        + "these sizes; the weights are zeros until {@code initialize}.\n")
                .addStatement("super(name)");
        for (int i = 0; i < type.weights().size(); i++) {
            WeightSpec w = type.weights().get(i);
            c.addStatement("$L = weight($S, $T.$L, $L)", fields.get(i), w.name(), INIT, w.init(), String.join(", ", w.shape()));
            c.addStatement("definition.$L = $L.value()", w.name(), fields.get(i));
        }
        t.addMethod(c.build());
        t.addMethod(MethodSpec.methodBuilder("definition").addModifiers(Modifier.PUBLIC).returns(userClass)
                .addJavadoc("The layer as its {@link $T}: its weight fields are the live weights, and its {@code call} runs\n"
                        + "eagerly.\n", userClass)
                .addStatement("return definition").build());
        t.addMethod(outputShape());
        t.addMethod(forward());
        t.addMethod(backward(fields));
        t.addType(definition());
        return JavaFile.builder(layerClass.packageName(), t.build()).skipJavaLangImports(true)
                .addFileComment("Generated by Tapgrad from $L. Do not edit: change the layer class instead.", userClass.simpleName())
                .build();
    }

    private AnnotationSpec compiled() {
        AnnotationSpec.Builder a = AnnotationSpec.builder(COMPILED).addMember("definition", "$S", type.definition());
        type.inputNames().forEach(n -> a.addMember("inputs", "$S", n));
        if (type.training()) {
            a.addMember("training", "true");
        }
        type.weights().forEach(w -> a.addMember("weights", "$S", w.name() + ":" + String.join(",", w.shape()) + ":" + w.init()));
        IrText.write(program).forEach(line -> a.addMember("body", "$S", line));
        a.addMember("result", "$S", Integer.toString(IrText.idOf(program, program.result())));
        if (forms.size() > 1) {
            Program inference = forms.get(1).program;
            IrText.write(inference).forEach(line -> a.addMember("inferenceBody", "$S", line));
            a.addMember("inferenceResult", "$S", Integer.toString(IrText.idOf(inference, inference.result())));
        }
        return a.build();
    }

    private boolean merges() {
        return type.inputNames().size() > 1;
    }

    /** The call's arguments: {@code x} or {@code inputs[0], inputs[1]}, then the mode if call takes it. */
    private String callArguments(String single, String array) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < type.inputNames().size(); i++) {
            args.add(merges() ? array + "[" + i + "]" : single);
        }
        return String.join(", ", args);
    }

    /** The definition's forward or backward arguments: the inputs, then the mode when the body reads it. */
    private String definitionArguments(String single, String array) {
        return callArguments(single, array) + (mode == null ? "" : ", training()");
    }

    private MethodSpec outputShape() {
        int n = type.inputNames().size();
        List<CodeBlock> zeros = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            zeros.add(CodeBlock.of("$T.zeros(oneExample(inputShapes[$L]))", Runtime.TENSOR, i));
        }
        if (type.training()) {
            zeros.add(CodeBlock.of("training()"));
        }
        return MethodSpec.methodBuilder("outputShape").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(int[].class).addParameter(int[][].class, "inputShapes").varargs()
                .addJavadoc("The shape {@code call} gives one example of these shapes, with their batch size: the body runs\n"
                        + "eagerly, so an op that cannot take the shapes throws here as it would in the graph.\n")
                .addStatement("checkArity($L, inputShapes)", n)
                .addStatement("int[] shape = definition.call($L).shape()", CodeBlock.join(zeros, ", "))
                .addStatement("shape[0] = inputShapes[0][0]")
                .addStatement("return shape").build();
    }

    private MethodSpec forward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC);
        if (merges()) {
            m.addParameter(ArrayTypeName.of(Runtime.TENSOR), "inputs").addJavadoc("Runs the body on {@code inputs}, in"
                    + " {@code call}'s order, into {@code out}.\n");
        } else {
            m.addParameter(Runtime.TENSOR, "x").addJavadoc("Runs the body on {@code x} into {@code out}.\n");
        }
        return m.addParameter(Runtime.TENSOR, "out")
                .addStatement("definition.forward($L, out)", definitionArguments("x", "inputs")).build();
    }

    private MethodSpec backward(List<String> fields) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addModifiers(Modifier.PUBLIC)
                .addJavadoc("Adds the body's gradient for {@code gOut} into the weights' gradients and, where not null, into\n"
                        + "the inputs' gradients; the latest forward must have been on these inputs.\n");
        if (merges()) {
            m.addParameter(ArrayTypeName.of(Runtime.TENSOR), "inputs");
        } else {
            m.addParameter(Runtime.TENSOR, "x");
        }
        m.addParameter(Runtime.TENSOR, "out").addParameter(Runtime.TENSOR, "gOut");
        if (merges()) {
            m.addParameter(ArrayTypeName.of(Runtime.TENSOR), "gInputs");
        } else {
            m.addParameter(Runtime.TENSOR, "gx");
        }
        List<String> args = new ArrayList<>();
        args.add(definitionArguments("x", "inputs"));
        args.add("gOut");
        args.add(callArguments("gx", "gInputs"));
        fields.forEach(f -> args.add(f + ".grad()"));
        return m.addStatement("definition.backward($L)", String.join(", ", args)).build();
    }

    private TypeSpec definition() {
        TypeSpec.Builder d = TypeSpec.classBuilder(DEFINITION).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .superclass(userClass)
                .addJavadoc("$T with the compiled body: names in it mean what they mean in $T.\n", userClass, userClass);
        for (Form form : forms) {
            for (Instr in : form.program.instrs()) {
                d.addField(FieldSpec.builder(Runtime.TENSOR, form.valueNames.get(in.result()), Modifier.PRIVATE)
                        .addJavadoc("$L of the latest $Lforward, $L.\n", in.result().name(), formName(form), in.result().shape()).build());
            }
        }
        MethodSpec.Builder f = MethodSpec.methodBuilder("forward");
        for (int i = 0; i < type.inputNames().size(); i++) {
            f.addParameter(Runtime.TENSOR, forms.get(0).valueNames.get(program.inputs().get(i)));
        }
        if (mode != null) {
            f.addParameter(TypeName.BOOLEAN, mode);
        }
        f.addParameter(Runtime.TENSOR, out);
        f.addComment("the body of $L.call", userClass.simpleName());
        branches(f, form -> {
            for (Instr in : form.program.instrs()) {
                f.addStatement("$L = $L", form.valueNames.get(in.result()), call(form, in.op().ownerClass(), in.op().method(), in.args(), null));
            }
            f.addStatement("$L.copyFrom($L)", out, form.valueNames.get(form.program.result()));
        });
        d.addMethod(f.build());
        d.addMethod(reverse());
        return d.build();
    }

    /** Writes {@code body} for the one form, or as {@code if (training) {...} else {...}}: the mode is constant during a step. */
    private void branches(MethodSpec.Builder m, java.util.function.Consumer<Form> body) {
        if (mode == null) {
            body.accept(forms.get(0));
            return;
        }
        m.beginControlFlow("if ($L)", mode);
        body.accept(forms.get(0));
        m.nextControlFlow("else");
        body.accept(forms.get(1));
        m.endControlFlow();
    }

    private String formName(Form form) {
        return mode == null ? "" : form == forms.get(0) ? "training " : "inference ";
    }

    private MethodSpec reverse() {
        MethodSpec.Builder b = MethodSpec.methodBuilder("backward");
        int n = type.inputNames().size();
        for (int i = 0; i < n; i++) {
            b.addParameter(Runtime.TENSOR, forms.get(0).valueNames.get(program.inputs().get(i)));
        }
        if (mode != null) {
            b.addParameter(TypeName.BOOLEAN, mode);
        }
        b.addParameter(Runtime.TENSOR, gOut);
        inputGrads.forEach(g -> b.addParameter(Runtime.TENSOR, g));
        weightGrads.forEach(g -> b.addParameter(Runtime.TENSOR, g));
        branches(b, form -> reverse(b, form, n));
        return b.build();
    }

    private void reverse(MethodSpec.Builder b, Form form, int n) {
        Program p = form.program;
        b.addComment("reverse$L: one adjoint per op, last op first, from $L", mode == null ? "" : " of the " + formName(form).strip() + " forward", gOut);
        form.adjointNames.put(p.result(), gOut);
        for (Adjoint.Step s : form.adjoint.steps()) {
            Instr in = s.instr();
            CodeBlock call = call(form, in.op().ownerClass(), s.adjointMethod(), in.args(),
                    List.of(form.valueNames.get(in.result()), adjointName(form, in.result())));
            String target = adjointName(form, s.target());
            if (s.first()) {
                b.addStatement("$T $L = $L", Runtime.TENSOR, target, call);
            } else {
                b.addStatement("$L = $T.sum($L, $L)", target, Runtime.WORKSPACE, target, call);
            }
        }
        for (int i = 0; i < p.inputs().size(); i++) {
            Value v = p.inputs().get(i);
            if (!form.adjoint.inputGradients().containsKey(v) && !v.equals(p.result())) {
                continue; // its gradient is exactly zero
            }
            if (i < n) {
                b.beginControlFlow("if ($L != null)", inputGrads.get(i))
                        .addStatement("$L.addInPlace($L)", inputGrads.get(i), adjointName(form, v)).endControlFlow();
            } else {
                b.addStatement("$L.addInPlace($L)", weightGrads.get(i - n), adjointName(form, v));
            }
        }
    }

    private String adjointName(Form form, Value v) {
        return form.adjointNames.computeIfAbsent(v, k -> names.newName(Names.adjoint(form.valueNames.get(k))));
    }

    /** One form of the body, its reverse pass, and the Java names of its values and of their adjoints. */
    private record Form(Program program, Adjoint adjoint, Map<Value, String> valueNames, Map<Value, String> adjointNames) {
        Form(Program program, Adjoint adjoint) {
            this(program, adjoint, new HashMap<>(), new HashMap<>());
        }
    }

    private CodeBlock call(Form form, String owner, String method, List<Operand> args, List<String> extra) {
        CodeBlock.Builder b = CodeBlock.builder().add("$T.$L(", ClassName.bestGuess(owner), method);
        String sep = "";
        for (Operand o : args) {
            b.add(sep).add("$L", o instanceof Operand.Var v ? form.valueNames.get(v.value()) : o.toString());
            sep = ", ";
        }
        if (extra != null) {
            for (String e : extra) {
                b.add(sep).add("$L", e);
                sep = ", ";
            }
        }
        return b.add(")").build();
    }
}
