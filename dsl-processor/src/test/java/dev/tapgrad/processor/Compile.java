package dev.tapgrad.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Runs the real javac with Tapgrad's processor on test sources from the classpath. */
final class Compile {
    private Compile() {}

    /** A source file from src/test/resources, e.g. {@code good/SparseCnn.java}. */
    static JavaFileObject resource(String path) {
        return JavaFileObjects.forResource(path);
    }

    /** An inline source file; the name is the fully qualified class name. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /** Compiles with the processor; the runtime and annotations are on the test classpath. */
    static Compilation compile(JavaFileObject... sources) {
        return Compiler.javac().withProcessors(new TapgradProcessor()).compile(sources);
    }
}
