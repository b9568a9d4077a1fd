package dev.tapgrad.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file laid out by hand, the way another tool writes one. */
    static byte[] file(String header, float... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    private String readFails(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(f));
        assertEquals(f, e.file());
        return e.getMessage();
    }

    @Test
    void roundTripKeepsNamesOrderShapesAndValues() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv1.kernel", Tensor.randn(new Random(1), 3, 3, 1, 4));
        tensors.put("conv1.bias", Tensor.randn(new Random(2), 4));
        tensors.put("out.kernel", Tensor.randn(new Random(3), 100_000, 2));   // larger than one write chunk
        tensors.put("scalar", Tensor.scalar(7));
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, tensors);
        Map<String, Tensor> back = Safetensors.read(f);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()));
        for (String k : tensors.keySet()) {
            assertArrayEquals(tensors.get(k).shape(), back.get(k).shape(), k);
            assertArrayEquals(tensors.get(k).toArray(), back.get(k).toArray(), k);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void exactByteLayoutOfATinyFile() throws IOException {
        Path f = dir.resolve("tiny.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.of(new float[] {1f, -2.5f}, 2)));
        byte[] bytes = Files.readAllBytes(f);
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(54, json.length());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(56, b.getLong(), "header padded to a multiple of 8");
        assertEquals(json + "  ", new String(bytes, 8, 56, StandardCharsets.UTF_8));
        assertEquals(8 + 56 + 8, bytes.length);
        assertEquals(1f, b.getFloat(64));
        assertEquals(-2.5f, b.getFloat(68));
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(bytes, 64, 68), "little-endian 1.0f");
    }

    @Test
    void readsAFileWrittenByAnotherToolWithMetadataAndPadding() throws IOException {
        String header = "{\"__metadata__\": {\"format\": \"pt\"}, "
                + "\"out.bias\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [16, 24]}, "
                + "\"out.kernel\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        Path f = dir.resolve("torch.safetensors");
        Files.write(f, file(padded, 1, 2, 3, 4, 5, 6));
        Map<String, Tensor> t = Safetensors.read(f);
        assertEquals(List.of("out.bias", "out.kernel"), List.copyOf(t.keySet()));
        assertArrayEquals(new float[] {5, 6}, t.get("out.bias").toArray());
        assertArrayEquals(new int[] {2, 2}, t.get("out.kernel").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.get("out.kernel").toArray());
    }

    /** The message names the file first and ends with the rule's id; {@code facts} are what it must say. */
    private static void assertRule(String message, String rule, String... facts) {
        assertTrue(message.startsWith("bad.safetensors: "), message);
        assertTrue(message.endsWith(" [" + rule + "]"), "rule " + rule + ": " + message);
        for (String fact : facts) {
            assertTrue(message.contains(fact), "'" + fact + "' in: " + message);
        }
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        assertRule(readFails(new byte[5]), "too-short", "file is 5 bytes, shorter than the 8-byte header length");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] bytes = file("{}");
        bytes[0] = 100;
        assertRule(readFails(bytes), "header-length", "header length is 100 bytes but only 2 bytes follow it");
        Arrays.fill(bytes, 0, 8, (byte) 0xff);
        assertRule(readFails(bytes), "header-too-large", "header length 18446744073709551615 exceeds the 100 MB");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        String m = readFails(file("{\"a\": {\"dtype\": F32}}", 1));
        assertRule(m, "json");
        assertFalse(m.contains("F32}}"), "the header is not echoed: " + m);
        assertRule(readFails(file("[1, 2]")), "header-start");
    }

    @Test
    void dtypesOtherThanF32AreRefusedByName() throws IOException {
        assertRule(readFails(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 0)), "dtype",
                "tensor 'w'", "has dtype F16; Tapgrad reads only F32 (float32) tensors");
    }

    @Test
    void shapeThatDisagreesWithTheOffsets() throws IOException {
        assertRule(readFails(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 1, 2)), "span",
                "tensor 'w'", "12");
        assertRule(readFails(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 1, 2)), "shape",
                "tensor 'w'");
    }

    @Test
    void offsetsThatDoNotTileTheData() throws IOException {
        assertRule(readFails(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 1, 2)), "gap",
                "tensor 'w'", "data_offsets [8, 16] leave bytes 0 to 8 of the data unused");
        // Two names for the same bytes: the old reader loaded both, aliased.
        assertRule(readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 1, 2)), "overlap");
        assertRule(readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 1, 2)), "duplicate", "tensor 'a'");
    }

    @Test
    void deeplyNestedMetadataFailsWithoutOverflowingTheStack() throws IOException {
        String deep = "{\"__metadata__\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        String m = readFails(file(deep));
        assertTrue(m.startsWith("bad.safetensors: ") && m.length() < 400, m);
    }

    @Test
    void truncatedData() throws IOException {
        Path f = dir.resolve("full.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.zeros(4), "b", Tensor.zeros(2, 2)));
        byte[] bytes = Files.readAllBytes(f);
        assertRule(readFails(Arrays.copyOf(bytes, bytes.length - 3)), "truncated",
                "the header describes 32 bytes of tensor data but only 29 bytes follow the header");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.of(new float[] {1}, 1)));
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("b", Tensor.zeros(2));
        bad.put("__metadata__", Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f, bad));
        assertArrayEquals(new float[] {1}, Safetensors.read(f).get("a").toArray());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }
}
