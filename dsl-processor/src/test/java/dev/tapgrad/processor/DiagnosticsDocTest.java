package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.tapgrad.processor.diag.Tag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/diagnostics.md has a section per {@link Tag}, headed by the tag ({@code ## UnknownTap}), so
 * the tag in every message leads to its explanation; each section shows a message with that tag.
 */
class DiagnosticsDocTest {
    @Test
    void everyTagHasASectionWithAnExample() throws IOException {
        // Surefire runs in the module's directory; the docs live beside the modules.
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path doc = module.toAbsolutePath().getParent().resolve("docs").resolve("diagnostics.md");
        assertWithMessage("%s exists", doc).that(Files.isRegularFile(doc)).isTrue();
        String text = Files.readString(doc);
        List<String> headings = text.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).toList();
        List<String> missing = new ArrayList<>();
        for (Tag tag : Tag.values()) {
            int at = headings.indexOf(tag.id());
            if (at < 0) {
                missing.add(tag.id() + " (no \"## " + tag.id() + "\" section)");
                continue;
            }
            String section = section(text, tag.id());
            if (!section.contains("[Tapgrad/" + tag.id() + "]")) {
                missing.add(tag.id() + " (its section shows no [Tapgrad/" + tag.id() + "] message)");
            }
        }
        assertWithMessage("tags without a proper section in %s", doc).that(missing).isEmpty();
    }

    /** The text from the tag's heading to the next heading of the same level. */
    private static String section(String text, String id) {
        int start = text.indexOf("\n## " + id + "\n");
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
