package dev.tapgrad.processor.read;

import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.diag.CustomLayerMessages;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.ir.IrText;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.layers.CustomLayerType;
import dev.tapgrad.processor.layers.CustomLayerType.WeightSpec;
import dev.tapgrad.processor.model.LayerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads a {@code @CustomLayer} class into a {@link CustomLayerType}: from its source (checking
 * DESIGN §2 row 12's rules on the class, its {@code @Weight} fields and its {@code call} method,
 * and lowering the body like a loss body), or, for a class compiled in an earlier javac run, from
 * the {@code @CompiledLayer} the processor wrote on its generated runtime class.
 */
public final class CustomLayerReader {
    static final String CUSTOM_LAYER = "dev.tapgrad.CustomLayer";
    static final String COMPILED_LAYER = "dev.tapgrad.CompiledLayer";
    private static final String WEIGHT = "dev.tapgrad.Weight";

    private final Elements elements;
    private final Trees trees;

    public CustomLayerReader(Elements elements, Trees trees) {
        this.elements = elements;
        this.trees = trees;
    }

    /** Whether {@code type} is annotated {@code @CustomLayer}. */
    static boolean isCustomLayer(TypeElement type) {
        return Annotations.find(type, CUSTOM_LAYER) != null;
    }

    /** The qualified name of the runtime layer generated for {@code type}: {@code <pkg>.<Outer_>NameLayer}. */
    public String runtimeClass(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        StringBuilder name = new StringBuilder(type.getSimpleName());
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement t; e = t.getEnclosingElement()) {
            name.insert(0, t.getSimpleName() + "_");
        }
        return (pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".") + name + "Layer";
    }

    /**
     * The layer type a model's field of type {@code type} declares, or null after reporting why not
     * at {@code field}: errors of a class compiled now are reported on the class itself, once.
     */
    LayerType forField(TypeElement type, String field, Origin at, Report report) {
        if (trees != null && trees.getPath(type) != null) {
            CustomLayerType t = fromSource(type, new Report());
            if (t == null) {
                report.error(Tag.CUSTOM_LAYER, at, CustomLayerMessages.definitionHasErrors(field, type.getSimpleName().toString()));
            }
            return t;
        }
        String runtime = runtimeClass(type);
        TypeElement compiled = elements.getTypeElement(runtime);
        AnnotationMirror m = compiled == null ? null : Annotations.find(compiled, COMPILED_LAYER);
        if (m == null) {
            report.error(Tag.CUSTOM_LAYER, at, CustomLayerMessages.notCompiled(field, type.getSimpleName().toString(),
                    runtime));
            return null;
        }
        return fromCompiled(type, runtime, m);
    }

    /** The layer type of a class compiled now, or null after reporting its mistakes into {@code report}. */
    public CustomLayerType fromSource(TypeElement type, Report report) {
        String name = type.getSimpleName().toString();
        if (type.getKind() != ElementKind.CLASS) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(type), CustomLayerMessages.classForm(name,
                    "is not a class: declare it as public abstract class " + name));
            return null;
        }
        classForm(type, name, report);
        for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(type))) {
            if (m.getModifiers().contains(Modifier.ABSTRACT)) {
                report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(m.getEnclosingElement().equals(type) ? m : type),
                        CustomLayerMessages.classForm(name, "declares abstract method " + m + ": Tapgrad's subclass"
                                + " implements nothing but the layer; give it a body or remove it"));
            }
        }
        List<WeightSpec> weights = weights(type, name, report);
        ExecutableElement call = call(type, name, report);
        if (call == null || report.hasErrors()) {
            return null;
        }
        List<String> inputs = new ArrayList<>();
        boolean training = false;
        String modeName = null;
        for (VariableElement p : call.getParameters()) {
            if (p.asType().getKind() == TypeKind.BOOLEAN) {
                training = true;
                modeName = p.getSimpleName().toString();
            } else {
                inputs.add(p.getSimpleName().toString());
            }
        }
        TreePath path = trees == null ? null : trees.getPath(call);
        if (path == null || !(path.getLeaf() instanceof MethodTree tree)) {
            return null;
        }
        List<String> bound = new ArrayList<>(inputs);
        weights.forEach(w -> bound.add(w.name()));
        BodyReader trainingReader = new BodyReader(trees, elements, type, path.getCompilationUnit(), report);
        Program body = trainingReader.read(call, tree, bound, modeName, true);
        if (body == null) {
            return null;
        }
        if (!trainingReader.usesMode()) {
            return new CustomLayerType(type.getQualifiedName().toString(), runtimeClass(type), inputs, training, weights, body);
        }
        BodyReader inferenceReader = new BodyReader(trees, elements, type, path.getCompilationUnit(), report);
        Program inference = inferenceReader.read(call, tree, bound, modeName, false);
        if (inference == null) {
            return null;
        }
        return new CustomLayerType(type.getQualifiedName().toString(), runtimeClass(type), inputs, training, weights, body,
                new CustomLayerType.Inference(inference, branches(trainingReader, inferenceReader)));
    }

    /** The conditionals both forms lowered (one nested in an untaken branch is read by one form only). */
    private static List<CustomLayerType.Branches> branches(BodyReader training, BodyReader inference) {
        List<CustomLayerType.Branches> out = new ArrayList<>();
        inference.conditionals().forEach((tree, b) -> {
            if (training.conditionals().containsKey(tree)) {
                out.add(new CustomLayerType.Branches(inference.origin(tree), training.conditionals().get(tree), b));
            }
        });
        return out;
    }

    private static void classForm(TypeElement type, String name, Report report) {
        if (type.getModifiers().contains(Modifier.PRIVATE) || type.getModifiers().contains(Modifier.FINAL)) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(type), CustomLayerMessages.classForm(name,
                    "must not be private or final: Tapgrad generates a subclass of it; declare it public abstract class " + name));
        }
        if (type.getNestingKind() != NestingKind.TOP_LEVEL && (type.getNestingKind() != NestingKind.MEMBER
                || !type.getModifiers().contains(Modifier.STATIC))) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(type), CustomLayerMessages.classForm(name,
                    "must be a top-level or static nested class: Tapgrad generates a subclass of it"));
        }
        boolean noArg = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!noArg) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(type), CustomLayerMessages.classForm(name,
                    "needs a constructor without parameters that is not private: Tapgrad's subclass calls it"));
        }
    }

    private static List<WeightSpec> weights(TypeElement type, String layer, Report report) {
        List<WeightSpec> out = new ArrayList<>();
        for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            AnnotationMirror m = Annotations.find(f, WEIGHT);
            if (m == null) {
                continue;
            }
            String field = f.getSimpleName().toString();
            if (!f.asType().toString().equals(OpResolver.TENSOR)) {
                report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(f), CustomLayerMessages.weightField(layer, field,
                        "is a " + f.asType() + ": a weight is a Tensor field, e.g. @Weight(shape = {\"input\", \"units\"}) Tensor " + field));
                continue;
            }
            if (f.getModifiers().contains(Modifier.PRIVATE) || f.getModifiers().contains(Modifier.FINAL)
                    || f.getModifiers().contains(Modifier.STATIC)) {
                report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(f), CustomLayerMessages.weightField(layer, field,
                        "must not be private, final or static: the generated layer sets it to the live weight"));
                continue;
            }
            Map<String, AnnotationValue> v = Annotations.explicit(m);
            List<String> shape = new ArrayList<>();
            for (AnnotationValue e : Annotations.items(v.get("shape"))) {
                String entry = String.valueOf(e.getValue()).trim();
                if (!CustomLayerType.SYMBOLS.contains(entry) && !positive(entry)) {
                    report.error(Tag.CUSTOM_LAYER, new ElementOrigin(f, m, e),
                            CustomLayerMessages.unknownSymbol(layer, field, entry, CustomLayerType.SYMBOLS));
                }
                shape.add(entry);
            }
            if (shape.isEmpty()) {
                report.error(Tag.CUSTOM_LAYER, new ElementOrigin(f, m, v.get("shape")), CustomLayerMessages.weightField(layer,
                        field, "has no shape: give at least one entry, e.g. shape = {\"units\"}"));
            }
            String init = Annotations.enumName(v.get("init"));
            out.add(new WeightSpec(field, shape, init == null ? "GLOROT_UNIFORM" : init));
        }
        return out;
    }

    private static boolean positive(String entry) {
        try {
            return Integer.parseInt(entry) >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The one {@code call} method, checked: tensors in, an optional trailing boolean, a tensor out. */
    private static ExecutableElement call(TypeElement type, String layer, Report report) {
        List<ExecutableElement> calls = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> m.getSimpleName().contentEquals("call")).toList();
        if (calls.isEmpty()) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(type), CustomLayerMessages.noCall(layer));
            return null;
        }
        for (int i = 1; i < calls.size(); i++) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(calls.get(i)), CustomLayerMessages.secondCall(layer));
        }
        ExecutableElement call = calls.get(0);
        String problem = null;
        List<? extends VariableElement> ps = call.getParameters();
        if (!call.getReturnType().toString().equals(OpResolver.TENSOR)) {
            problem = "returns " + call.getReturnType() + ", not a Tensor";
        } else if (call.getModifiers().contains(Modifier.ABSTRACT) || call.getModifiers().contains(Modifier.STATIC)
                || call.getModifiers().contains(Modifier.PRIVATE)) {
            problem = "must be an instance method with a body, not abstract, static or private";
        } else if (call.isVarArgs()) {
            problem = "takes a variable number of inputs; name each one";
        } else {
            int tensors = 0;
            for (int i = 0; i < ps.size() && problem == null; i++) {
                boolean last = i == ps.size() - 1;
                if (ps.get(i).asType().toString().equals(OpResolver.TENSOR)) {
                    tensors++;
                } else if (!(last && ps.get(i).asType().getKind() == TypeKind.BOOLEAN)) {
                    problem = "takes " + ps.get(i).asType() + " " + ps.get(i).getSimpleName()
                            + ": its parameters are Tensors, optionally followed by boolean training";
                }
            }
            if (problem == null && tensors == 0) {
                problem = "takes no Tensor input";
            }
        }
        if (problem != null) {
            report.error(Tag.CUSTOM_LAYER, ElementOrigin.of(call), CustomLayerMessages.callSignature(layer, problem));
            return null;
        }
        return calls.size() == 1 ? call : null;
    }

    /** The layer type recorded on the generated runtime class of a class compiled in an earlier run. */
    private CustomLayerType fromCompiled(TypeElement type, String runtime, AnnotationMirror m) {
        Map<String, AnnotationValue> v = Annotations.explicit(m);
        List<String> inputs = strings(v.get("inputs"));
        List<WeightSpec> weights = new ArrayList<>();
        for (String w : strings(v.get("weights"))) {
            String[] parts = w.split(":", -1);
            weights.add(new WeightSpec(parts[0], List.of(parts[1].split(",")), parts[2]));
        }
        List<String> names = new ArrayList<>(inputs);
        weights.forEach(w -> names.add(w.name()));
        OpResolver ops = new OpResolver(elements, type, null);
        IrText.OpLookup resolver = (owner, method, kinds) -> {
            TypeElement t = elements.getTypeElement(owner);
            OpResolver.Resolution r = t == null ? null : ops.resolve(t, method, kinds);
            return r == null ? null : r.signature();
        };
        Program body = IrText.read("call", names, strings(v.get("body")),
                Integer.parseInt(String.valueOf(v.get("result").getValue())), resolver);
        boolean training = v.get("training") != null && Boolean.TRUE.equals(v.get("training").getValue());
        CustomLayerType.Inference inference = null;
        if (v.get("inferenceBody") != null) {
            inference = new CustomLayerType.Inference(IrText.read("call", names, strings(v.get("inferenceBody")),
                    Integer.parseInt(String.valueOf(v.get("inferenceResult").getValue())), resolver), List.of());
        }
        return new CustomLayerType(type.getQualifiedName().toString(), runtime, inputs, training, weights, body, inference);
    }

    private static List<String> strings(AnnotationValue v) {
        return Annotations.items(v).stream().map(a -> String.valueOf(a.getValue())).toList();
    }
}
