package dev.tapgrad.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("a.csv");
        AtomicFiles.writeString(f, "one\n");
        AtomicFiles.writeString(f, "two\n");
        assertEquals("two\n", Files.readString(f, StandardCharsets.UTF_8));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void aFailingBodyLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("a.csv");
        AtomicFiles.writeString(f, "old\n");
        IOException boom = new IOException("disk full");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half of the new cont".getBytes(StandardCharsets.UTF_8));
            throw boom;
        }));
        assertSame(boom, e);
        assertEquals("old\n", Files.readString(f, StandardCharsets.UTF_8));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path f = dir.resolve("no/such/a.csv");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "x"));
        assertEquals("cannot write " + f.toAbsolutePath() + ": the folder " + f.getParent().toAbsolutePath()
                + " does not exist; create it first", e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void aFolderAsTargetIsNamedAndLeftAlone() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("runs"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertEquals("cannot write " + folder.toAbsolutePath() + ": it is a folder; name a file in it instead", e.getMessage());
        assertTrue(Files.isDirectory(folder));
        assertEquals(List.of("runs"), names());
    }

    @Test
    void temporariesOfDeadProcessesAreRemovedOthersKept() throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        gone.waitFor();
        Path stale = dir.resolve(".a.csv.tmp-" + gone.pid() + ".123.tmp");
        Path mine = dir.resolve(".a.csv.tmp-" + ProcessHandle.current().pid() + ".456.tmp");
        Path otherTarget = dir.resolve(".b.csv.tmp-" + gone.pid() + ".789.tmp");
        for (Path p : List.of(stale, mine, otherTarget)) {
            Files.writeString(p, "partial");
            assertTrue(AtomicFiles.isTemporary(p));
        }
        AtomicFiles.writeString(dir.resolve("a.csv"), "new\n");
        assertEquals(List.of(mine.getFileName().toString(), otherTarget.getFileName().toString(), "a.csv"), names());
        assertFalse(AtomicFiles.isTemporary(dir.resolve("a.csv")));
    }
}
