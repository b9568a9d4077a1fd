package dev.tapgrad.processor.read;

import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.tapgrad.Activation;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Padding;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.ModelMessages;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.layers.LayerCatalogue;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.ClassForm;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.LossParameter;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Turns a {@code @Model} class into a {@link ModelSpec}. Reading problems that only the reader can
 * see (a field type that is no layer, a body that cannot be lowered) go into the report; everything
 * that can be judged from the spec is left to the checks.
 */
public final class ModelReader {
    private static final String LAYERS_PACKAGE = "dev.tapgrad.runtime.layers";

    private final Elements elements;
    private final Trees trees;
    private final Report report;

    /** @param trees javac's Trees; method bodies are not read when it is null */
    public ModelReader(Elements elements, Trees trees, Report report) {
        this.elements = elements;
        this.trees = trees;
        this.report = report;
    }

    /** Reads the model class. */
    public ModelSpec read(TypeElement type) {
        AnnotationMirror model = Annotations.find(type, "dev.tapgrad.Model");
        Map<String, AnnotationValue> values = Annotations.explicit(model);
        AnnotationValue input = values.get("input");
        AnnotationValue loss = values.get("loss");
        String lossName = Annotations.enumName(loss);
        List<Metric> metrics = new ArrayList<>();
        for (AnnotationValue m : Annotations.items(values.get("metrics"))) {
            String name = Annotations.enumName(m);
            if (name != null) {
                metrics.add(Metric.valueOf(name));
            }
        }
        PackageElement pkg = elements.getPackageOf(type);
        generatedClassFits(type, pkg);
        List<LayerSpec> layers = layers(type);
        return new ModelSpec(
                pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(),
                type.getSimpleName().toString(),
                Annotations.ints(input),
                new ElementOrigin(type, model, input),
                lossName == null ? LossKind.NONE : LossKind.valueOf(lossName),
                new ElementOrigin(type, model, loss),
                metrics,
                layers,
                auxLosses(type),
                lossMethod(type, layers),
                form(type),
                ElementOrigin.of(type),
                Boolean.TRUE.equals(values.containsKey("fromLogits") ? values.get("fromLogits").getValue() : null),
                new ElementOrigin(type, model, values.get("fromLogits")),
                new ElementOrigin(type, model, values.get("metrics")));
    }

    /**
     * Reports what would make the generated {@code <Model>Graph} impossible to write or compile: a
     * class of that name declared in the sources, and abstract methods it does not implement (an
     * abstract loss method is reported as such; the generated API methods implement theirs).
     */
    private void generatedClassFits(TypeElement type, PackageElement pkg) {
        String model = type.getSimpleName().toString();
        String graph = (pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".") + model + "Graph";
        TypeElement taken = elements.getTypeElement(graph);
        // A class file of that name is the graph of an earlier build: only a source declaration clashes.
        if (taken != null && trees != null && trees.getPath(taken) != null) {
            report.error(Tag.MODEL_FORM, ElementOrigin.of(taken), ModelMessages.graphNameTaken(model, model + "Graph"));
        }
        if (type.getKind() != ElementKind.CLASS) {
            return; // the form check says it must be a class
        }
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            List<String> checked = c.getThrownTypes().stream().filter(ModelReader::isChecked).map(Object::toString).toList();
            if (c.getParameters().isEmpty() && !checked.isEmpty()) {
                report.error(Tag.MODEL_FORM, ElementOrigin.of(c), ModelMessages.constructorThrows(model, String.join(", ", checked)));
            }
        }
        for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(type))) {
            if (m.getModifiers().contains(Modifier.ABSTRACT) && !GENERATED_API.contains(m.getSimpleName().toString())
                    && Annotations.find(m, "dev.tapgrad.AuxLoss") == null && Annotations.find(m, "dev.tapgrad.Loss") == null) {
                TypeElement owner = (TypeElement) m.getEnclosingElement();
                report.error(Tag.MODEL_FORM, ElementOrigin.of(owner.equals(type) ? m : type),
                        ModelMessages.abstractMethod(model, m.toString(), owner.getQualifiedName().toString()));
            }
        }
    }

    /** Whether a thrown type is a checked exception: neither a RuntimeException nor an Error. */
    private static boolean isChecked(TypeMirror thrown) {
        for (TypeMirror t = thrown; t instanceof DeclaredType dt; t = ((TypeElement) dt.asElement()).getSuperclass()) {
            String name = ((TypeElement) dt.asElement()).getQualifiedName().toString();
            if (name.equals("java.lang.RuntimeException") || name.equals("java.lang.Error")) {
                return false;
            }
        }
        return thrown.getKind() == TypeKind.DECLARED;
    }

    /** The methods every generated graph declares (DESIGN §1a), which implement abstract ones of the model. */
    private static final java.util.Set<String> GENERATED_API = java.util.Set.of("fit", "evaluate", "predict", "gradients",
            "save", "load");

    private List<LayerSpec> layers(TypeElement type) {
        List<LayerSpec> out = new ArrayList<>();
        for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            AnnotationMirror m = Annotations.find(f, "dev.tapgrad.Layer");
            if (m == null) {
                continue;
            }
            String name = f.getSimpleName().toString();
            if (f.asType().getKind() == TypeKind.ERROR) {
                continue; // javac reports the unknown type itself
            }
            String typeName = f.asType().toString();
            LayerType kind = null;
            if (f.asType() instanceof DeclaredType dt && dt.asElement() instanceof TypeElement te
                    && elements.getPackageOf(te).getQualifiedName().contentEquals(LAYERS_PACKAGE)) {
                kind = LayerCatalogue.bySimpleName(te.getSimpleName().toString());
                typeName = te.getSimpleName().toString();
            }
            if (kind == null && f.asType() instanceof DeclaredType dt && dt.asElement() instanceof TypeElement te
                    && CustomLayerReader.isCustomLayer(te)) {
                kind = new CustomLayerReader(elements, trees).forField(te, name, ElementOrigin.of(f), report);
                if (kind == null) {
                    continue; // reported
                }
            }
            if (kind == null) {
                report.error(Tag.UNKNOWN_LAYER, ElementOrigin.of(f), LayerMessages.unknownLayerType(name, typeName,
                        LayerCatalogue.names()));
                continue;
            }
            AnnotationValue inputs = Annotations.explicit(m).get("inputs");
            List<String> names = new ArrayList<>();
            List<Origin> origins = new ArrayList<>();
            for (AnnotationValue in : Annotations.items(inputs)) {
                if (in.getValue() instanceof String s) {
                    names.add(s);
                    origins.add(new ElementOrigin(f, m, in));
                }
            }
            out.add(new LayerSpec(name, kind, attributes(f, m), names, origins, ElementOrigin.of(f)));
        }
        return out;
    }

    private static LayerAttributes attributes(VariableElement field, AnnotationMirror m) {
        Map<String, AnnotationValue> v = Annotations.explicit(m);
        Map<String, Origin> origins = new LinkedHashMap<>();
        v.forEach((k, val) -> origins.put(k, new ElementOrigin(field, m, val)));
        String padding = Annotations.enumName(v.get("padding"));
        String activation = Annotations.enumName(v.get("activation"));
        return new LayerAttributes(
                v.get("units") != null ? (Integer) v.get("units").getValue() : 0,
                v.get("filters") != null ? (Integer) v.get("filters").getValue() : 0,
                Annotations.ints(v.get("kernel")),
                Annotations.ints(v.get("strides")),
                padding == null ? Padding.VALID : Padding.valueOf(padding),
                activation == null ? Activation.LINEAR : Activation.valueOf(activation),
                origins,
                v.get("returnSequences") != null && Boolean.TRUE.equals(v.get("returnSequences").getValue()),
                Annotations.ints(v.get("pool")),
                v.get("rate") != null ? ((Number) v.get("rate").getValue()).doubleValue() : 0,
                v.get("epsilon") != null ? ((Number) v.get("epsilon").getValue()).doubleValue() : LayerAttributes.DEFAULT_EPSILON,
                v.get("momentum") != null ? ((Number) v.get("momentum").getValue()).doubleValue() : LayerAttributes.DEFAULT_MOMENTUM,
                v.get("vocabulary") != null ? (Integer) v.get("vocabulary").getValue() : 0,
                Annotations.ints(v.get("shape")));
    }

    private List<AuxLossSpec> auxLosses(TypeElement type) {
        List<AuxLossSpec> out = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            AnnotationMirror m = Annotations.find(method, "dev.tapgrad.AuxLoss");
            if (m != null) {
                out.add(auxLoss(type, method, m));
            }
        }
        return out;
    }

    private AuxLossSpec auxLoss(TypeElement type, ExecutableElement method, AnnotationMirror m) {
        Map<String, AnnotationValue> v = Annotations.explicit(m);
        List<TapRef> taps = new ArrayList<>();
        for (AnnotationValue t : Annotations.items(v.get("tap"))) {
            if (t.getValue() instanceof String s) {
                taps.add(TapRef.parse(s, new ElementOrigin(method, m, t)));
            }
        }
        AnnotationValue weight = v.get("weight");
        return lossSpec(type, method, taps, weight != null && weight.getValue() instanceof Number n ? n.doubleValue() : 1.0,
                new ElementOrigin(method, m, weight), new ElementOrigin(method, m, v.get("tap")));
    }

    /**
     * The {@code @Loss} method, if any: its first parameter is bound to the labels, its second to
     * the last layer's output, every further one to its {@code @Tap}. A second {@code @Loss}
     * method, or a parameter that cannot be bound, is reported here.
     */
    private AuxLossSpec lossMethod(TypeElement type, List<LayerSpec> layers) {
        AuxLossSpec found = null;
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            AnnotationMirror m = Annotations.find(method, "dev.tapgrad.Loss");
            if (m == null) {
                continue;
            }
            String name = method.getSimpleName().toString();
            ElementOrigin at = new ElementOrigin(method, m, null);
            if (found != null) {
                report.error(Tag.LOSS_SIGNATURE, at, LossMessages.secondLossMethod(name, found.method()));
                continue;
            }
            List<TapRef> taps = new ArrayList<>();
            List<? extends VariableElement> params = method.getParameters();
            for (int i = 0; i < params.size(); i++) {
                VariableElement p = params.get(i);
                AnnotationMirror tap = Annotations.find(p, "dev.tapgrad.Tap");
                AnnotationValue value = tap == null ? null : Annotations.explicit(tap).get("value");
                if (i < 2 && tap != null) {
                    report.error(Tag.LOSS_SIGNATURE, new ElementOrigin(p, tap, null), LossMessages.tapOnLabelsOrPredictions(name,
                            p.getSimpleName().toString()));
                } else if (i == 0) {
                    taps.add(TapRef.labels(ElementOrigin.of(p)));
                } else if (i == 1) {
                    String last = layers.isEmpty() ? "" : layers.get(layers.size() - 1).name();
                    taps.add(TapRef.parse(last, ElementOrigin.of(p)));
                } else if (value == null || !(value.getValue() instanceof String text)) {
                    report.error(Tag.LOSS_SIGNATURE, ElementOrigin.of(p), LossMessages.lossParameterWithoutTap(name,
                            p.getSimpleName().toString()));
                } else {
                    taps.add(TapRef.parse(text, new ElementOrigin(p, tap, value)));
                }
            }
            if (params.size() < 2) {
                report.error(Tag.LOSS_SIGNATURE, at, LossMessages.lossNeedsLabelsAndPredictions(name, params.size()));
            }
            found = lossSpec(type, method, taps, 1.0, at, at);
        }
        return found;
    }

    private AuxLossSpec lossSpec(TypeElement type, ExecutableElement method, List<TapRef> taps, double weight,
            ElementOrigin weightOrigin, ElementOrigin tapOrigin) {
        List<LossParameter> params = new ArrayList<>();
        for (VariableElement p : method.getParameters()) {
            params.add(new LossParameter(p.getSimpleName().toString(),
                    p.asType().toString().equals(OpResolver.TENSOR), p.asType().toString(), ElementOrigin.of(p)));
        }
        boolean returnsTensor = method.getReturnType().toString().equals(OpResolver.TENSOR);
        return new AuxLossSpec(
                method.getSimpleName().toString(),
                taps,
                weight,
                weightOrigin,
                tapOrigin,
                params,
                returnsTensor,
                method.getReturnType().toString(),
                method.getModifiers().contains(Modifier.STATIC),
                method.getModifiers().contains(Modifier.PRIVATE),
                returnsTensor ? body(type, method) : null, // not a loss body: the signature check says why
                ElementOrigin.of(method));
    }

    private Program body(TypeElement type, ExecutableElement method) {
        if (method.getModifiers().contains(Modifier.ABSTRACT) || method.getModifiers().contains(Modifier.NATIVE)) {
            report.error(Tag.LOSS_SIGNATURE, ElementOrigin.of(method), LossMessages.abstractLoss(method.getSimpleName().toString()));
            return null;
        }
        if (trees == null) {
            return null;
        }
        TreePath path = trees.getPath(method);
        if (path == null || !(path.getLeaf() instanceof MethodTree tree)) {
            return null;
        }
        return new BodyReader(trees, elements, type, path.getCompilationUnit(), report).read(method, tree);
    }

    private ClassForm form(TypeElement type) {
        boolean hasNoArg = false;
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            // The default constructor of a private class is private too, but stops being so with the class.
            boolean implicit = elements.getOrigin(c) == Elements.Origin.MANDATED;
            if (c.getParameters().isEmpty() && (implicit || !c.getModifiers().contains(Modifier.PRIVATE))) {
                hasNoArg = true;
            }
        }
        List<String> badFields = new ArrayList<>();
        List<String> staticFields = new ArrayList<>();
        for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (Annotations.find(f, "dev.tapgrad.Layer") != null
                    && (f.getModifiers().contains(Modifier.PRIVATE) || f.getModifiers().contains(Modifier.FINAL))) {
                badFields.add(f.getSimpleName().toString());
            }
            if (Annotations.find(f, "dev.tapgrad.Layer") != null && f.getModifiers().contains(Modifier.STATIC)) {
                staticFields.add(f.getSimpleName().toString());
            }
        }
        return new ClassForm(
                type.getModifiers().contains(Modifier.PRIVATE),
                type.getModifiers().contains(Modifier.FINAL),
                type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)
                        || type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS,
                type.getNestingKind() != NestingKind.TOP_LEVEL,
                type.getKind() != ElementKind.CLASS,
                hasNoArg,
                badFields,
                ElementOrigin.of(type),
                staticFields,
                inheritedMembers(type));
    }

    /** The members the generated subclass sees: not private, not Object's. */
    private List<ClassForm.Member> inheritedMembers(TypeElement type) {
        List<ClassForm.Member> out = new ArrayList<>();
        if (type.getKind() != ElementKind.CLASS) {
            return out;
        }
        for (Element e : elements.getAllMembers(type)) {
            if (e.getModifiers().contains(Modifier.PRIVATE) || !(e.getEnclosingElement() instanceof TypeElement owner)
                    || owner.getQualifiedName().contentEquals("java.lang.Object")) {
                continue;
            }
            ClassForm.MemberKind kind = e.getKind() == ElementKind.METHOD ? ClassForm.MemberKind.METHOD
                    : e.getKind() == ElementKind.FIELD ? ClassForm.MemberKind.FIELD
                    : e.getKind().isClass() || e.getKind().isInterface() ? ClassForm.MemberKind.TYPE : null;
            if (kind != null) {
                out.add(new ClassForm.Member(e.getSimpleName().toString(), kind, e.getModifiers().contains(Modifier.ABSTRACT),
                        owner.getSimpleName().toString(), ElementOrigin.of(owner.equals(type) ? e : type)));
            }
        }
        return out;
    }
}
