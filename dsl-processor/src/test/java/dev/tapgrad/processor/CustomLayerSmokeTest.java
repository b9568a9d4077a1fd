package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

class CustomLayerSmokeTest {
    @Test
    void compiles() {
        Compilation c = Compile.compile(Compile.resource("custom/Square.java"), Compile.resource("custom/Gate.java"),
                Compile.resource("custom/CustomNet.java"));
        c.generatedSourceFiles().forEach(f -> { try { System.out.println(f.getCharContent(true)); } catch (Exception e) { throw new RuntimeException(e); } });
        c.diagnostics().forEach(System.out::println);
        assertThat(c).succeededWithoutWarnings();
    }
}
