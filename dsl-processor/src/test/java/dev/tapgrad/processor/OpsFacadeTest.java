package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tapgrad.Differentiable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import org.junit.jupiter.api.Test;

/**
 * {@code Ops} as the processor sees it in the runtime jar: a final class extending only Object,
 * whose every public method re-exports ({@code @Reexport}) a {@code @Differentiable} op with the
 * same name and parameters, and which re-exports every op of {@code dev.tapgrad.runtime.ops}.
 */
class OpsFacadeTest {
    private static final String OPS_PACKAGE = "dev.tapgrad.runtime.ops";

    @SupportedAnnotationTypes("*")
    private static final class Inspect extends AbstractProcessor {
        final List<String> problems = new ArrayList<>();
        final Set<String> reexported = new TreeSet<>();
        final Set<String> defined = new TreeSet<>();
        String superclass;
        boolean isFinal;

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (round.processingOver()) {
                return false;
            }
            TypeElement ops = processingEnv.getElementUtils().getTypeElement("dev.tapgrad.runtime.Ops");
            superclass = ops.getSuperclass().toString();
            isFinal = ops.getModifiers().contains(Modifier.FINAL);
            for (ExecutableElement m : ElementFilter.methodsIn(ops.getEnclosedElements())) {
                if (!m.getModifiers().contains(Modifier.PUBLIC)) {
                    continue;
                }
                TypeElement target = dev.tapgrad.processor.read.ReexportsForTest.target(m);
                if (target == null) {
                    problems.add(m + " has no @Reexport");
                    continue;
                }
                ExecutableElement op = ElementFilter.methodsIn(target.getEnclosedElements()).stream()
                        .filter(c -> c.getSimpleName().equals(m.getSimpleName())
                                && c.getParameters().stream().map(p -> p.asType().toString()).toList()
                                        .equals(m.getParameters().stream().map(p -> p.asType().toString()).toList()))
                        .findFirst().orElse(null);
                if (op == null || op.getAnnotation(Differentiable.class) == null) {
                    problems.add(m + " re-exports " + target + ", which has no such @Differentiable op");
                } else {
                    reexported.add(target.getSimpleName() + "." + m);
                }
            }
            for (TypeElement t : ElementFilter.typesIn(
                    processingEnv.getElementUtils().getPackageElement(OPS_PACKAGE).getEnclosedElements())) {
                for (ExecutableElement m : ElementFilter.methodsIn(t.getEnclosedElements())) {
                    if (m.getAnnotation(Differentiable.class) != null) {
                        defined.add(t.getSimpleName() + "." + m);
                    }
                }
            }
            return false;
        }
    }

    @Test
    void opsIsAFacadeOverEveryOpOfTheOpsPackage() {
        Inspect inspect = new Inspect();
        Compilation c = Compiler.javac().withProcessors(inspect)
                .compile(JavaFileObjects.forSourceLines("demo.Empty", "package demo;", "class Empty {}"));
        assertThat(c.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(inspect.superclass).isEqualTo("java.lang.Object");
        assertThat(inspect.isFinal).isTrue();
        assertWithMessage("facade methods that do not resolve").that(inspect.problems).isEmpty();
        assertWithMessage("ops of %s re-exported by Ops", OPS_PACKAGE).that(inspect.reexported)
                .containsExactlyElementsIn(inspect.defined);
        assertThat(inspect.defined.size()).isAtLeast(30);
    }
}
