package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated graph of each mission case, byte for byte, against its golden under
 * {@code src/test/resources/goldens/}. After an intended change to the generated code, regenerate
 * the goldens with {@code -Dtapgrad.updateGoldens=true} and review their diff; that run rewrites
 * the files instead of comparing and reports the tests as skipped, so it can never pass as a
 * comparison. Each model is also generated twice to show the output is deterministic.
 */
class GoldenSourcesTest {
    /**
     * A source: {@code good/...} from src/test/resources, or a mission case by its one definition
     * in samples/src/test/java/dev/tapgrad/reference (as {@code cases.<Name>}, the goldens' package).
     */
    private static JavaFileObject source(String source) {
        return source.startsWith("good/") ? Compile.resource(source)
                : Compile.sharedModel("dev/tapgrad/reference/" + source + ".java", "cases");
    }

    private static String generate(String source, String graph) throws IOException {
        Compilation c = Compile.compile(source(source));
        assertThat(c).succeededWithoutWarnings();
        return c.generatedSourceFile(graph).orElseThrow().getCharContent(true).toString();
    }

    /** The golden in the source tree: surefire sets {@code basedir} to the module folder. */
    private static Path golden(String file) {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/test/resources/goldens").resolve(file);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "good/SparseCnn.java, demo.SparseCnnGraph, SparseCnnGraph.java",
        "PriorLstm, cases.PriorLstmGraph, cases/PriorLstmGraph.java",
        "DiverseMlp, cases.DiverseMlpGraph, cases/DiverseMlpGraph.java",
        "RegularizedClassifier, cases.RegularizedClassifierGraph, cases/RegularizedClassifierGraph.java",
        "WeightLoss, cases.WeightLossGraph, cases/WeightLossGraph.java",
        "HelperLoss, cases.HelperLossGraph, cases/HelperLossGraph.java",
        "ResidualDag, cases.ResidualDagGraph, cases/ResidualDagGraph.java",
    })
    void generatedSourceMatchesTheGolden(String source, String graph, String goldenFile) throws IOException {
        String generated = generate(source, graph);
        assertWithMessage("two compiles of %s", source).that(generate(source, graph)).isEqualTo(generated);
        Path golden = golden(goldenFile);
        if (Boolean.getBoolean("tapgrad.updateGoldens")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, generated, StandardCharsets.UTF_8);
            String note = "tapgrad.updateGoldens=true: rewrote " + golden + " instead of comparing; review its diff";
            System.err.println(note);
            Assumptions.abort(note);
        }
        assertWithMessage("%s is missing; create it with -Dtapgrad.updateGoldens=true", golden)
                .that(Files.exists(golden)).isTrue();
        assertWithMessage("generated %s differs from %s; if the change is intended, rerun with"
                + " -Dtapgrad.updateGoldens=true and review the diff", graph, golden)
                .that(generated).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /** A custom layer's generated runtime layer and the graph of a model that uses it (resources/custom). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"custom.SwishLayer, custom/SwishLayer.java", "custom.SwishNetGraph, custom/SwishNetGraph.java"})
    void customLayerSourcesMatchTheGoldens(String generatedClass, String goldenFile) throws IOException {
        String generated = generateCustom(generatedClass);
        assertWithMessage("two compiles of %s", generatedClass).that(generateCustom(generatedClass)).isEqualTo(generated);
        Path golden = golden(goldenFile);
        if (Boolean.getBoolean("tapgrad.updateGoldens")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, generated, StandardCharsets.UTF_8);
            String note = "tapgrad.updateGoldens=true: rewrote " + golden + " instead of comparing; review its diff";
            System.err.println(note);
            Assumptions.abort(note);
        }
        assertWithMessage("%s is missing; create it with -Dtapgrad.updateGoldens=true", golden)
                .that(Files.exists(golden)).isTrue();
        assertWithMessage("generated %s differs from %s; if the change is intended, rerun with"
                + " -Dtapgrad.updateGoldens=true and review the diff", generatedClass, golden)
                .that(generated).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    private static String generateCustom(String generatedClass) throws IOException {
        Compilation c = Compile.compile(Compile.resource("custom/Swish.java"), Compile.resource("custom/SwishNet.java"));
        assertThat(c).succeededWithoutWarnings();
        return c.generatedSourceFile(generatedClass).orElseThrow().getCharContent(true).toString();
    }
}
