package dev.tapgrad.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be used: corrupt, truncated, of an unsupported dtype, or not
 * matching the model's parameters. It is an {@link IOException}, checked, because like a missing
 * file it comes from outside the program and a caller loading a user's file should handle it. The
 * message starts with the file name and says what is wrong.
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with {@code file}, described by {@code problem}. */
    public CheckpointException(Path file, String problem) {
        super(file.getFileName() + ": " + problem);
        this.file = file;
    }

    /** A problem with {@code file} caused by {@code cause}. */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file.getFileName() + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
