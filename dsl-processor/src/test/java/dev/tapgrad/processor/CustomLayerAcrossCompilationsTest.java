package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.tapgrad.runtime.TrainableModel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom layer compiled in one javac run (as in a library jar) and used by a model compiled in
 * another, which sees only the first run's class files: the model's compilation reads the layer
 * from the {@code @CompiledLayer} on its generated {@code SwishLayer}, generates only the graph,
 * and the graph trains with the first run's layer to PyTorch's numbers.
 */
class CustomLayerAcrossCompilationsTest {
    @Test
    void aModelUsesACustomLayerFromAnotherCompilation(@TempDir Path dir) throws Exception {
        Compilation library = Compile.compile(Compile.resource("custom/Swish.java"));
        assertThat(library).succeededWithoutWarnings();
        Path classes = dir.resolve("library");
        writeClasses(library, classes);

        List<File> classpath = new ArrayList<>();
        classpath.add(classes.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(new File(entry));
        }
        Compilation app = Compiler.javac().withProcessors(new TapgradProcessor()).withClasspath(classpath)
                .compile(Compile.resource("custom/SwishNet.java"));
        assertThat(app).succeededWithoutWarnings();
        assertThat(Compile.generatedSources(app)).containsExactly("/SOURCE_OUTPUT/custom/SwishNetGraph.java");

        Path appClasses = dir.resolve("app");
        writeClasses(app, appClasses);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), appClasses.toUri().toURL()},
                getClass().getClassLoader())) {
            TrainableModel m = CustomLayerTest.model(loader, "SwishNet", 1);
            CustomLayerTest.matchesPyTorch(m, "swish_net", CustomLayerTest.SWISH_PARAMS);
        }
    }

    @Test
    void aCustomLayerCompiledWithoutTheProcessorIsReportedOnTheField(@TempDir Path dir) throws Exception {
        Compilation library = Compiler.javac().withOptions("-proc:none").compile(Compile.resource("custom/Swish.java"));
        assertThat(library).succeeded();
        Path classes = dir.resolve("library");
        writeClasses(library, classes);
        List<File> classpath = new ArrayList<>();
        classpath.add(classes.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(new File(entry));
        }
        Compilation app = Compiler.javac().withProcessors(new TapgradProcessor()).withClasspath(classpath)
                .compile(Compile.resource("custom/SwishNet.java"));
        assertThat(app).hadErrorContaining("[Tapgrad/CustomLayer] layer swish is a Swish, a @CustomLayer class compiled"
                + " without Tapgrad's processor (its custom.SwishLayer is missing from the class path)");
        assertThat(app).hadErrorContaining("compiled without").inFile(Compile.resource("custom/SwishNet.java")).onLine(15);
    }

    static void writeClasses(Compilation c, Path root) throws IOException {
        for (JavaFileObject f : c.generatedFiles()) {
            if (f.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = f.toUri().getPath();
            Path target = root.resolve(path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = f.openInputStream()) {
                Files.write(target, in.readAllBytes());
            }
        }
    }
}
