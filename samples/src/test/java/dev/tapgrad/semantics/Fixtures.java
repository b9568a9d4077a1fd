package dev.tapgrad.semantics;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads the PyTorch reference fixtures (weights and a batch) from the test classpath. */
final class Fixtures {
    private Fixtures() {}

    /** Copies {@code dev/tapgrad/reference/<model>/<file>} into {@code dir} and returns its path. */
    static Path copy(String model, String file, Path dir) throws IOException {
        Path target = dir.resolve(model + "-" + file);
        try (InputStream in = Fixtures.class.getResourceAsStream("/dev/tapgrad/reference/" + model + "/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource for " + model + ": " + file);
            }
            Files.copy(in, target);
        }
        return target;
    }

    /** The stored batch: {@code x} and {@code y}. */
    static Map<String, Tensor> batch(String model, Path dir) throws IOException {
        return Safetensors.read(copy(model, "batch.safetensors", dir));
    }
}
