package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/** DESIGN §1 case 1 compiles cleanly and yields SparseCnnGraph. */
class SparseCnnCompilesTest {
    @Test
    void caseOneCompilesWithoutWarnings() {
        Compilation c = Compile.compile(Compile.resource("good/SparseCnn.java"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("demo.SparseCnnGraph").contentsAsUtf8String()
                .contains("terms[1] = sparsityWithGradient(conv1Out, conv1Grad, 0.01);");
    }
}
