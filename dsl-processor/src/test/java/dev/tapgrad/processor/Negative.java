package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;

/** A bad source under {@code src/test/resources/bad/}, compiled once, with the assertions every negative test makes. */
final class Negative {
    final JavaFileObject file;
    final Compilation compilation;

    private Negative(String name) {
        this.file = Compile.resource("bad/" + name + ".java");
        this.compilation = Compile.compile(file);
    }

    /**
     * Compiles {@code bad/<name>.java} and checks that it failed with exactly {@code errors} errors,
     * no warning, and that no {@code <Model>Graph} source was generated.
     */
    static Negative compile(String name, int errors) {
        Negative n = new Negative(name);
        assertThat(n.compilation).failed();
        assertThat(n.compilation).hadErrorCount(errors);
        assertThat(n.compilation).hadWarningCount(0);
        assertWithMessage("generated sources of %s", name)
                .that(Compile.generatedSources(n.compilation)).isEmpty();
        return n;
    }

    /** Asserts an error containing {@code text} at the line and column. */
    Negative errorAt(int line, int column, String text) {
        assertThat(compilation).hadErrorContaining(text).inFile(file).onLine(line).atColumn(column);
        return this;
    }

    /** Asserts an error containing {@code text} on the line, where the column does not matter (an element). */
    Negative errorOn(int line, String text) {
        assertThat(compilation).hadErrorContaining(text).inFile(file).onLine(line);
        return this;
    }

    /** Asserts that some error also contains {@code part} (with a single error: that error). */
    Negative alsoSays(String part) {
        assertThat(compilation).hadErrorContaining(part).inFile(file);
        return this;
    }
}
