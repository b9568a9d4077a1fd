package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every ```java block of the repository's README.md, as it stands. There are two kinds, told apart by
 * the line just before the fence, and no third:
 * <ul>
 *   <li>a block after {@code <!-- excerpt of PATH ... -->} shows generated code: it must occur, line for
 *       line (indentation included), in that golden generated source, which GoldenSourcesTest keeps
 *       equal to what the processor generates;</li>
 *   <li>every other block is a complete compilation unit (imports included, nothing wrapped or
 *       added): all of them are compiled together by javac with Tapgrad's processor and the runtime on
 *       the class path, as a user project would compile them, and must compile without errors.</li>
 * </ul>
 * The name of each unit is its first top-level class, as javac requires of a file's public class.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern BLOCK = Pattern.compile("(?m)^([^\\n]*)\\R```java\\R(.*?)^```$", Pattern.DOTALL);
    private static final Pattern EXCERPT = Pattern.compile("<!-- excerpt of (\\S+) .*-->");
    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public |abstract |final )*(?:class|interface|record|enum) (\\w+)");

    @Test
    void everyJavaSnippetCompilesOrIsAnExcerptOfGeneratedCode() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<JavaFileObject> units = new ArrayList<>();
        int excerpts = 0;
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            String before = m.group(1);
            String code = m.group(2);
            Matcher excerpt = EXCERPT.matcher(before);
            if (excerpt.find()) {
                assertExcerptOf(Path.of("..").resolve(excerpt.group(1)), code);
                excerpts++;
            } else {
                Matcher type = TYPE.matcher(code);
                assertTrue(type.find(), "a README snippet that is not an excerpt must be a compilation unit:\n" + code);
                units.add(JavaFileObjects.forSourceString(type.group(1), code));
            }
        }
        assertFalse(units.isEmpty(), "no compilable ```java block found in " + README.toAbsolutePath());
        assertEquals(2, excerpts, "excerpts of generated code in the README (a change here is deliberate)");

        Compilation c = Compiler.javac().withProcessors(new TapgradProcessor()).compile(units);
        assertThat(c).succeeded();
    }

    /** {@code code}'s lines occur one after another in {@code golden}. */
    private static void assertExcerptOf(Path golden, String code) throws IOException {
        List<String> want = code.lines().toList();
        List<String> have = Files.readAllLines(golden, StandardCharsets.UTF_8);
        for (int start = 0; start + want.size() <= have.size(); start++) {
            if (have.subList(start, start + want.size()).equals(want)) {
                return;
            }
        }
        fail("README.md shows code that " + golden.normalize() + " does not contain (the generated code changed:"
                + " copy the current method from the golden into the README):\n" + code);
    }
}
