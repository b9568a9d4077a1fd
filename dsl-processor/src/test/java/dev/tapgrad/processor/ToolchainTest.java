package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.tapgrad.processor.WrappedEnvironments.DelegatingEnvironment;
import dev.tapgrad.processor.WrappedEnvironments.ObjectFieldHandler;
import dev.tapgrad.processor.WrappedEnvironments.TypedFieldHandler;
import java.io.IOException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3: the processor reads bodies through javac's Trees even when a build tool wraps the
 * processing environment; when the wrapper hides javac it fails with one clear error; and a failure
 * inside the processor is one diagnostic on the model class, never a javac crash.
 */
class ToolchainTest {
    private static final String GRAPH = "demo.SparseCnnGraph";

    private static String graphSource(Compilation c) throws IOException {
        return c.generatedSourceFile(GRAPH).orElseThrow().getCharContent(true).toString();
    }

    private static void assertSameGraphAsUnwrapped(Processor wrapped) throws IOException {
        Compilation c = Compile.compileWith(wrapped, Compile.resource("good/SparseCnn.java"));
        assertThat(c).succeededWithoutWarnings();
        Compilation plain = Compile.compile(Compile.resource("good/SparseCnn.java"));
        assertThat(graphSource(c)).isEqualTo(graphSource(plain));
    }

    @Test
    void proxyWhoseHandlerKeepsJavacInAFieldIsUnwrapped() throws IOException {
        assertSameGraphAsUnwrapped(WrappedEnvironments.tapgradWith(
                javac -> WrappedEnvironments.proxy(new TypedFieldHandler(javac, null))));
    }

    @Test
    void delegatingClassIsUnwrapped() throws IOException {
        assertSameGraphAsUnwrapped(WrappedEnvironments.tapgradWith(DelegatingEnvironment::new));
    }

    @Test
    void proxyOfAProxyIsUnwrapped() throws IOException {
        assertSameGraphAsUnwrapped(WrappedEnvironments.tapgradWith(javac -> WrappedEnvironments.proxy(
                new TypedFieldHandler(WrappedEnvironments.proxy(new TypedFieldHandler(javac, null)), null))));
    }

    @Test
    void wrapperThatHidesJavacInAnObjectFieldFailsWithOneClearError() {
        assertUnsupportedCompiler(javac -> WrappedEnvironments.proxy(new ObjectFieldHandler(javac)));
    }

    @Test
    void wrapperThatHidesJavacInALambdaCaptureFailsWithOneClearError() {
        assertUnsupportedCompiler(javac -> {
            Object hidden = javac; // the lambda's captured field is typed Object, like an opaque wrapper's
            return WrappedEnvironments.proxy((proxy, m, args) -> WrappedEnvironments.forward(hidden, m, args));
        });
    }

    /** Two models in one compile still give exactly one error: the compiler is the problem, not each model. */
    private static void assertUnsupportedCompiler(java.util.function.UnaryOperator<ProcessingEnvironment> wrap) {
        JavaFileObject first = Compile.resource("good/SparseCnn.java");
        JavaFileObject second = Compile.resource("bad/UnknownTap.java");
        Compilation c = Compile.compileWith(WrappedEnvironments.tapgradWith(wrap), first, second);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Tapgrad/UnsupportedCompiler] Tapgrad reads loss method bodies through javac's"
                + " Trees API, which this compiler (");
        assertThat(c).hadErrorContaining("Eclipse's compiler (ECJ) is not supported");
        assertThat(Compile.generatedSources(c)).isEmpty();
    }

    @Test
    void internalFailureIsOneErrorOnTheModelClass() {
        // The model is fine and Trees is found; writing the file fails inside the processor.
        JavaFileObject file = Compile.resource("good/SparseCnn.java");
        Compilation c = Compile.compileWith(WrappedEnvironments.tapgradWith(
                javac -> WrappedEnvironments.proxy(new TypedFieldHandler(javac, "getFiler"))), file);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
        assertThat(c).hadErrorContaining("[Tapgrad/Internal] internal error while processing SparseCnn (a bug in Tapgrad;"
                + " please report it with this trace): java.lang.IllegalStateException: wrapped getFiler failed on purpose")
                .inFile(file).onLine(14).atColumn(10);
        assertThat(c).hadErrorContaining("at dev.tapgrad.processor.TapgradProcessor.write(");
        assertThat(Compile.generatedSources(c)).isEmpty();
    }
}
