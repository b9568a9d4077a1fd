package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §1 case 1 compiles cleanly and yields SparseCnnGraph, whose aux loss (an L1 penalty on
 * conv1's output) conv1 computes in its own passes.
 */
class SparseCnnCompilesTest {
    @Test
    void caseOneCompilesWithoutWarnings() {
        Compilation c = Compile.compile(Compile.resource("good/SparseCnn.java"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("demo.SparseCnnGraph").contentsAsUtf8String()
                .contains("conv1.penalize(OutputPenalty.MEAN_ABS, 0.01);");
        assertThat(c).generatedSourceFile("demo.SparseCnnGraph").contentsAsUtf8String()
                .contains("terms[1] = conv1.penalty();");
    }
}
