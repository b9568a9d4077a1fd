package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The typed IR of every loss body of the six seed cases, its reverse pass and the penalty
 * rewrite's outcome, as {@code -Atapgrad.printIr=true} prints them, against goldens under
 * {@code src/test/resources/goldens/ir/}. Regenerate with {@code -Dtapgrad.updateGoldens=true}
 * (as {@link GoldenSourcesTest}) and review the diff.
 */
class IrGoldensTest {
    private static String printedIr(String source) {
        Compilation c = Compiler.javac().withProcessors(new TapgradProcessor()).withOptions("-Atapgrad.printIr=true")
                .compile(source.startsWith("good/") ? Compile.resource(source)
                        : Compile.sharedModel("dev/tapgrad/reference/" + source + ".java", "cases"));
        assertThat(c).succeededWithoutWarnings();
        // javac indents the continuation lines of a multi-line note; compare the lines without it
        List<String> notes = c.notes().stream().map(d -> d.getMessage(null))
                .filter(m -> m.startsWith("Tapgrad IR of"))
                .map(m -> String.join("\n", m.lines().map(String::stripLeading).toList()) + "\n").toList();
        assertThat(notes).hasSize(1);
        return notes.get(0);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "good/SparseCnn.java, SparseCnn.ir",
        "PriorLstm, PriorLstm.ir",
        "DiverseMlp, DiverseMlp.ir",
        "RegularizedClassifier, RegularizedClassifier.ir",
        "WeightLoss, WeightLoss.ir",
        "HelperLoss, HelperLoss.ir",
    })
    void printedIrMatchesTheGolden(String source, String goldenFile) throws IOException {
        String printed = printedIr(source);
        assertWithMessage("two compiles of %s", source).that(printedIr(source)).isEqualTo(printed);
        Path golden = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/test/resources/goldens/ir").resolve(goldenFile);
        if (Boolean.getBoolean("tapgrad.updateGoldens")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, printed, StandardCharsets.UTF_8);
            String note = "tapgrad.updateGoldens=true: rewrote " + golden + " instead of comparing; review its diff";
            System.err.println(note);
            Assumptions.abort(note);
        }
        assertWithMessage("%s is missing; create it with -Dtapgrad.updateGoldens=true", golden)
                .that(Files.exists(golden)).isTrue();
        assertWithMessage("the IR of %s differs from %s; if the change is intended, rerun with"
                + " -Dtapgrad.updateGoldens=true and review the diff", source, golden)
                .that(printed).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
