package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The generated SparseCnnGraph, byte for byte, against {@code src/test/resources/goldens/SparseCnnGraph.java}.
 * After an intended change to the generated code, regenerate the golden with
 * {@code -Dtapgrad.updateGoldens=true} and review its diff; that run rewrites the file instead of
 * comparing and reports the test as skipped, so it can never pass as a comparison.
 */
class SparseCnnGoldenTest {
    private static final String GOLDEN = "src/test/resources/goldens/SparseCnnGraph.java";

    private static String generate() throws IOException {
        Compilation c = Compile.compile(Compile.resource("good/SparseCnn.java"));
        assertThat(c).succeededWithoutWarnings();
        return c.generatedSourceFile("demo.SparseCnnGraph").orElseThrow().getCharContent(true).toString();
    }

    /** The golden in the source tree: surefire sets {@code basedir} to the module folder. */
    private static Path golden() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve(GOLDEN);
    }

    @Test
    void generatedSourceMatchesTheGolden() throws IOException {
        String generated = generate();
        Path golden = golden();
        if (Boolean.getBoolean("tapgrad.updateGoldens")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, generated, StandardCharsets.UTF_8);
            String note = "tapgrad.updateGoldens=true: rewrote " + golden + " instead of comparing; review its diff";
            System.err.println(note);
            Assumptions.abort(note);
        }
        assertWithMessage("%s is missing; create it with -Dtapgrad.updateGoldens=true", golden)
                .that(Files.exists(golden)).isTrue();
        assertWithMessage("generated SparseCnnGraph differs from %s; if the change is intended, rerun with"
                + " -Dtapgrad.updateGoldens=true and review the diff", golden)
                .that(generated).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void generationIsDeterministic() throws IOException {
        assertWithMessage("two compiles of the same model").that(generate()).isEqualTo(generate());
    }
}
