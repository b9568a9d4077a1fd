package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save/load of a generated model through real files: round trip, and bad files change nothing. */
class CheckpointTest {
    @TempDir Path dir;

    @Test
    void roundTripRestoresEveryWeightAndThePredictions() throws Exception {
        Tensor x = Fixtures.batch("TinyCnn", dir).get("x");
        SparseNetGraph a = new SparseNetGraph(1);
        SparseNetGraph b = new SparseNetGraph(2);
        assertFalse(Arrays.equals(a.conv1.kernel().toArray(), b.conv1.kernel().toArray()), "different seeds");
        Path file = dir.resolve("model.safetensors");
        a.save(file);
        b.load(file);
        assertArrayEquals(a.conv1.kernel().toArray(), b.conv1.kernel().toArray());
        assertArrayEquals(a.out.bias().toArray(), b.out.bias().toArray());
        assertArrayEquals(a.predict(x).toArray(), b.predict(x).toArray());
    }

    @Test
    void truncatedFileIsRejectedAndLeavesTheWeightsUnchanged() throws Exception {
        Path file = dir.resolve("model.safetensors");
        new SparseNetGraph(1).save(file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
        SparseNetGraph b = new SparseNetGraph(2);
        float[] before = b.conv1.kernel().toArray();
        float[] outBefore = b.out.kernel().toArray();
        CheckpointException e = assertThrows(CheckpointException.class, () -> b.load(cut));
        assertTrue(e.getMessage().contains("cut.safetensors"), e.getMessage());
        assertArrayEquals(before, b.conv1.kernel().toArray());
        assertArrayEquals(outBefore, b.out.kernel().toArray());
    }

    @Test
    void checkpointOfAnotherModelIsRejectedWithTheMismatchedNames() throws Exception {
        Path other = Fixtures.copy("TwoDense", "weights.safetensors", dir);
        SparseNetGraph b = new SparseNetGraph(2);
        float[] before = b.conv1.kernel().toArray();
        CheckpointException e = assertThrows(CheckpointException.class, () -> b.load(other));
        assertTrue(e.getMessage().contains("conv1.kernel"), e.getMessage());
        assertArrayEquals(before, b.conv1.kernel().toArray());
    }
}
