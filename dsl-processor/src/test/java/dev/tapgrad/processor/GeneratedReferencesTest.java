package dev.tapgrad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generated graphs reference only what issue 11 allows them: the ops ({@code Ops} and
 * {@code .ops}), the support for generated code ({@code .internal}), the layers, the public API
 * types the graph implements or passes on, the annotation enums (and a custom layer's {@code Init} and
 * {@code @CompiledLayer}), and the JDK. A graph that
 * imported the training loop, a kernel or a checkpoint reader directly would tie generated code
 * to the runtime's internals again. Checked on every golden (GoldenSourcesTest keeps the goldens
 * equal to the processor's output).
 */
class GeneratedReferencesTest {
    private static final Pattern ALLOWED = Pattern.compile(String.join("|",
            "dev\\.tapgrad\\.(Activation|LossKind|Metric|Padding|Init|CompiledLayer)",
            "dev\\.tapgrad\\.runtime\\.(Tensor|Parameter|Dataset|Fit|History|Gradients|TrainableModel|Ops)",
            "dev\\.tapgrad\\.runtime\\.ops\\.[A-Z]\\w*",
            "dev\\.tapgrad\\.runtime\\.internal(\\.\\w+)*\\.[A-Z]\\w*",
            "dev\\.tapgrad\\.runtime\\.layers\\.[A-Z]\\w*",
            "java\\.(io|nio\\.file|util)\\.[A-Z]\\w*",
            "javax\\.annotation\\.processing\\.Generated"));

    @Test
    void goldensImportOnlyOpsInternalLayersAndTheApi() throws IOException {
        Path goldens = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/test/resources/goldens");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(goldens)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no golden sources under " + goldens);
        for (Path f : files) {
            List<String> bad = Files.readAllLines(f).stream()
                    .filter(l -> l.startsWith("import "))
                    .map(l -> l.substring("import ".length(), l.length() - 1).replace("static ", ""))
                    .filter(name -> !ALLOWED.matcher(name).matches())
                    .toList();
            assertEquals(List.of(), bad, f.getFileName() + " references classes generated code must not name");
        }
    }
}
