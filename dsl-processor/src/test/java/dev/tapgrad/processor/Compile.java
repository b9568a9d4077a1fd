package dev.tapgrad.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/** Runs the real javac with Tapgrad's processor on test sources from the classpath. */
final class Compile {
    private Compile() {}

    /** A source file from src/test/resources, e.g. {@code good/SparseCnn.java}. */
    static JavaFileObject resource(String path) {
        return JavaFileObjects.forResource(path);
    }

    /**
     * A model that the samples' tests also compile and run (against PyTorch fixtures, finite
     * differences), read from its one definition under samples/src/test/java and moved into
     * {@code pkg}, so the processor's tests and the samples' tests cannot drift apart.
     *
     * @param path the file under samples/src/test/java, e.g. {@code dev/tapgrad/reference/PriorLstm.java}
     */
    static JavaFileObject sharedModel(String path, String pkg) {
        return JavaFileObjects.forSourceString(pkg + "." + simpleName(path), sharedModelText(path, pkg));
    }

    /** The text of {@link #sharedModel}. */
    static String sharedModelText(String path, String pkg) {
        Path file = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("../samples/src/test/java").resolve(path);
        try {
            return Files.readString(file, StandardCharsets.UTF_8)
                    .replaceFirst("(?m)^package [\\w.]+;", "package " + pkg + ";");
        } catch (IOException e) {
            throw new UncheckedIOException("the shared model " + file + " is missing", e);
        }
    }

    private static String simpleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.length() - ".java".length());
    }

    /** An inline source file; the name is the fully qualified class name. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /** Compiles with the processor; the runtime and annotations are on the test classpath. */
    static Compilation compile(JavaFileObject... sources) {
        return compileWith(new TapgradProcessor(), sources);
    }

    /** Compiles with another processor, e.g. one that hands Tapgrad's a wrapped environment. */
    static Compilation compileWith(Processor processor, JavaFileObject... sources) {
        return Compiler.javac().withProcessors(processor).compile(sources);
    }

    /**
     * The names of the source files the processor generated, also for a failed compilation.
     * compile-testing only hands out generated files after a successful compile, but a negative
     * test has to show that nothing was generated next to the errors, so this reads the list it
     * keeps anyway. If compile-testing renames the field, this fails loudly instead of passing.
     */
    static List<String> generatedSources(Compilation c) {
        try {
            Field f = Compilation.class.getDeclaredField("generatedFiles");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            List<JavaFileObject> files = (List<JavaFileObject>) f.get(c);
            return files.stream().filter(o -> o.getKind() == JavaFileObject.Kind.SOURCE).map(JavaFileObject::getName).toList();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read compile-testing's generated files", e);
        }
    }
}
