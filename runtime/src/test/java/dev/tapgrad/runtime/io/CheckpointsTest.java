package dev.tapgrad.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path dir;

    private static List<Parameter> model(long seed) {
        Random r = new Random(seed);
        return List.of(new Parameter("dense.kernel", Tensor.randn(r, 3, 2)), new Parameter("dense.bias", Tensor.randn(r, 2)));
    }

    @Test
    void saveThenLoadRestoresEveryValue() throws IOException {
        Path f = dir.resolve("m.safetensors");
        List<Parameter> saved = model(1);
        Checkpoints.save(f, saved);
        List<Parameter> loaded = model(2);
        Checkpoints.load(f, loaded, "Tiny");
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(saved.get(i).value().toArray(), loaded.get(i).value().toArray());
        }
    }

    @Test
    void mismatchesAreAllListedAndNothingChanges() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("dense.kernel", Tensor.zeros(2, 3));
        t.put("dense.extra", Tensor.zeros(1));
        Path f = dir.resolve("other.safetensors");
        Safetensors.write(f, t);
        List<Parameter> ps = model(3);
        float[] kernel = ps.get(0).value().toArray();
        float[] bias = ps.get(1).value().toArray();
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(f, ps, "Tiny"));
        assertEquals("other.safetensors: does not match Tiny (its parameters are [dense.kernel, dense.bias]):"
                + " dense.kernel has shape (2, 3) in the file but (3, 2) in Tiny; missing dense.bias (2);"
                + " unexpected dense.extra (1), which Tiny does not have. No weights were changed. [mismatch]", e.getMessage());
        assertArrayEquals(kernel, ps.get(0).value().toArray());
        assertArrayEquals(bias, ps.get(1).value().toArray());
    }

    @Test
    void aMissingTensorAloneAlsoFails() throws IOException {
        Path f = dir.resolve("half.safetensors");
        Safetensors.write(f, Map.of("dense.kernel", Tensor.zeros(3, 2)));
        List<Parameter> ps = model(4);
        float[] kernel = ps.get(0).value().toArray();
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(f, ps, "Tiny"));
        assertEquals("half.safetensors: does not match Tiny (its parameters are [dense.kernel, dense.bias]): missing"
                + " dense.bias (2). No weights were changed. [mismatch]", e.getMessage());
        assertArrayEquals(kernel, ps.get(0).value().toArray());
    }

    @Test
    void aCorruptFileLeavesTheWeights() throws IOException {
        Path f = dir.resolve("corrupt.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        List<Parameter> ps = model(5);
        float[] kernel = ps.get(0).value().toArray();
        assertThrows(CheckpointException.class, () -> Checkpoints.load(f, ps, "Tiny"));
        assertArrayEquals(kernel, ps.get(0).value().toArray());
    }
}
