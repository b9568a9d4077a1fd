package dev.tapgrad.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way Tapgrad writes a file: checkpoints, backups, CSV logs and plots all go through
 * {@link #write}. The content goes to a temporary file in the target's folder, is forced to the
 * disk, and is moved over the target in one atomic rename; the folder is then synced where the
 * platform allows. A reader therefore sees either the previous complete file or the new complete
 * file, never a half-written one, even if the JVM is killed in the middle of a write.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /** What {@link #write} calls to produce the file's bytes. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the whole content to {@code out}; the stream is buffered by the caller's choice
         * only, and must not be closed here.
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically. The folder must exist. If {@code body} throws, the target
     * is untouched and the temporary file is removed. Temporary files left by a killed JVM (whose
     * process no longer runs) beside the same target are removed on the next write.
     *
     * @throws IOException from the body or the file system; the target then holds its old content
     */
    public static void write(Path target, Body body) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + file + ": the folder " + dir
                    + " does not exist; create it first");
        }
        if (Files.isDirectory(file)) {
            throw new IOException("cannot write " + file + ": it is a folder; name a file in it instead");
        }
        removeStaleTemps(file);
        // A hidden name that is never the target's: a crash leaves at worst a stray temp file, and
        // nothing that globs for *.safetensors or *.csv picks it up. Not Files.createTempFile: its
        // owner-only permissions would stay on the file after the move.
        Path temp = dir.resolve(tempPrefix(file) + ProcessHandle.current().pid() + "." + System.nanoTime() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                OutputStream out = Channels.newOutputStream(ch);
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes {@code text} as UTF-8 through {@link #write}. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Whether {@code file} is a temporary file of {@link #write} (for tests and cleanup tools). */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX) && name.contains(".tmp-");
    }

    private static String tempPrefix(Path file) {
        return "." + file.getFileName() + ".tmp-";
    }

    /**
     * The rename is durable only once the folder's entry is on disk. Linux and macOS let a folder
     * be opened and forced; Windows does not (and its rename is durable without it), so there the
     * attempt fails and is skipped.
     */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the platform cannot sync a folder; the move itself is still atomic
        }
    }

    private static void removeStaleTemps(Path file) {
        String prefix = tempPrefix(file);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(file.getParent(), prefix + "*" + TEMP_SUFFIX)) {
            for (Path t : temps) {
                String rest = t.getFileName().toString().substring(prefix.length());
                int dot = rest.indexOf('.');
                long pid;
                try {
                    pid = Long.parseLong(dot < 0 ? rest : rest.substring(0, dot));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(t);
                }
            }
        } catch (IOException e) {
            // cleanup is best effort: a stray temp file never shadows the target
        }
    }
}
