package dev.tapgrad.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.diag.ModelMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.read.DiagnosticPrinter;
import dev.tapgrad.processor.read.TreesAccess;
import java.io.IOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Tapgrad's javac plugin: for every {@code @Model} class, checks it and generates its
 * {@code <Model>Graph}. Every finding is a diagnostic on the offending element, annotation value
 * or expression; a failure inside the processor becomes one error on the model class instead of a
 * javac crash.
 */
@AutoService(Processor.class)
public final class TapgradProcessor extends AbstractProcessor {
    private Trees trees;
    private boolean treesReported;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("dev.tapgrad.Model", "dev.tapgrad.CustomLayer");
    }

    /**
     * {@code -Atapgrad.report=true} prints each model's summary (layers, shapes, what each loss
     * reaches); {@code -Atapgrad.printIr=true} prints each loss's typed IR and reverse pass;
     * {@code -Atapgrad.fusion=false} turns the penalty rewrite and the normalization feeds off (to
     * compare fused and unfused code).
     */
    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(REPORT_OPTION, PRINT_IR_OPTION, FUSION_OPTION);
    }

    static final String REPORT_OPTION = "tapgrad.report";
    static final String PRINT_IR_OPTION = "tapgrad.printIr";
    static final String FUSION_OPTION = "tapgrad.fusion";

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement custom = processingEnv.getElementUtils().getTypeElement("dev.tapgrad.CustomLayer");
        if (custom != null) {
            // before the models: a model of this round reads its custom layers from their source either way
            for (Element e : round.getElementsAnnotatedWith(custom)) {
                if (e instanceof TypeElement type) {
                    processLayerSafely(type);
                }
            }
        }
        TypeElement model = processingEnv.getElementUtils().getTypeElement("dev.tapgrad.Model");
        if (model == null) {
            return false;
        }
        for (Element e : round.getElementsAnnotatedWith(model)) {
            if (e instanceof TypeElement type) {
                processSafely(type);
            }
        }
        return false;
    }

    /** Finds javac's Trees; false (reported once) when the compiler has none. */
    private boolean hasTrees(TypeElement type) {
        if (trees == null) {
            trees = TreesAccess.find(processingEnv);
        }
        if (trees == null && !treesReported) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "[Tapgrad/" + Tag.UNSUPPORTED_COMPILER.id()
                    + "] " + ModelMessages.noTrees(processingEnv.getClass().getName()), type);
            treesReported = true;
        }
        return trees != null;
    }

    private void processLayerSafely(TypeElement type) {
        try {
            if (!hasTrees(type)) {
                return;
            }
            CustomLayerStep.Result result = new CustomLayerStep(processingEnv.getElementUtils(), trees).run(type);
            new DiagnosticPrinter(processingEnv.getMessager(), trees, type).print(result.report());
            if (result.file() != null) {
                writeFile(result.file(), type);
            }
        } catch (Throwable t) {
            Report r = new Report();
            r.error(Tag.INTERNAL, null, ModelMessages.internal(type.getSimpleName().toString(), t));
            new DiagnosticPrinter(processingEnv.getMessager(), null, type).print(r);
        }
    }

    private void processSafely(TypeElement type) {
        try {
            if (!hasTrees(type)) {
                return;
            }
            boolean fuse = !"false".equals(processingEnv.getOptions().get(FUSION_OPTION));
            ModelStep.Result result = new ModelStep(processingEnv.getElementUtils(), trees, fuse).run(type);
            new DiagnosticPrinter(processingEnv.getMessager(), trees, type).print(result.report());
            if (result.file() != null) {
                write(result, type);
                if (Boolean.parseBoolean(processingEnv.getOptions().get(REPORT_OPTION))) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, result.summary(), type);
                }
                if (Boolean.parseBoolean(processingEnv.getOptions().get(PRINT_IR_OPTION))) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
                            "Tapgrad IR of " + type.getSimpleName() + "\n" + result.ir(), type);
                }
            }
        } catch (Throwable t) {
            Report r = new Report();
            r.error(Tag.INTERNAL, null, ModelMessages.internal(type.getSimpleName().toString(), t));
            new DiagnosticPrinter(processingEnv.getMessager(), null, type).print(r);
        }
    }

    private void write(ModelStep.Result result, TypeElement type) throws IOException {
        writeFile(result.file(), type);
    }

    private void writeFile(com.palantir.javapoet.JavaFile generated, TypeElement type) throws IOException {
        // createSourceFile names the originating element, so incremental builds know the source.
        com.palantir.javapoet.JavaFile file = generated.toBuilder().build();
        var source = processingEnv.getFiler().createSourceFile(
                (file.packageName().isEmpty() ? "" : file.packageName() + ".") + file.typeSpec().name(), type);
        try (var writer = source.openWriter()) {
            file.writeTo(writer);
        }
    }
}
