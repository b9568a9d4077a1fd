package dev.tapgrad.runtime.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes safetensors files of float32 tensors: an 8-byte little-endian header length, a
 * JSON header {@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}}
 * padded with spaces to a multiple of 8, then the little-endian data. The format of Hugging Face's
 * {@code safetensors}, so files from PyTorch or Keras load when they hold F32 tensors.
 */
public final class Safetensors {
    private static final String METADATA = "__metadata__";
    private static final int CHUNK = 1 << 16;

    private Safetensors() {}

    /**
     * Writes {@code tensors} in map order, through {@link AtomicFiles#write}: a failed or killed
     * write never leaves a half-written checkpoint.
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            }
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * e.getValue().size();
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(name, entry);
        }
        byte[] json = new GsonBuilder().disableHtmlEscaping().create().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        byte[] headBytes = head.array();
        AtomicFiles.write(file, out -> {
            out.write(headBytes);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] data = t.buffer();
                for (int i = 0; i < data.length; i += CHUNK) {
                    int n = Math.min(CHUNK, data.length - i);
                    buf.clear();
                    buf.asFloatBuffer().put(data, i, n);
                    out.write(buf.array(), 0, 4 * n);
                }
            }
        });
    }

    /**
     * Reads every tensor, in header order; {@code __metadata__} is ignored. The header is checked
     * against every rule of the format first ({@link SafetensorsHeader}: lengths, bounded JSON,
     * dtypes, shapes against offsets, offsets that tile the data exactly once, no duplicate names),
     * so a hostile file fails before any tensor is allocated. Unlike {@link Checkpoints#load}, which
     * reads into a model's parameters in memory bounded by the model, this returns what the file
     * holds: its memory is the file's tensors. Values are returned as stored, NaN included.
     *
     * @throws CheckpointException naming the file, the tensor and the rule (in brackets) for a file
     *     that breaks a rule of the format, holds a dtype other than F32, or a tensor larger than a
     *     Java array
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, ch);
            Map<String, Tensor> out = new LinkedHashMap<>();
            ByteBuffer bytes = SafetensorsReader.chunkBuffer();
            for (SafetensorsHeader.Entry e : header.entries()) {
                if (!e.dtype().equals("F32")) {
                    throw SafetensorsHeader.fail(file, "dtype", e.name(), "has dtype " + e.dtype()
                            + "; Tapgrad reads only F32 (float32) tensors: convert the checkpoint to float32 first");
                }
                long count = (e.end() - e.begin()) / 4;
                int[] shape = new int[e.shape().length];
                for (int d = 0; d < shape.length; d++) {
                    if (e.shape()[d] > Integer.MAX_VALUE) {
                        throw tooLarge(file, e);
                    }
                    shape[d] = (int) e.shape()[d];
                }
                if (count > Integer.MAX_VALUE - 8) {
                    throw tooLarge(file, e);
                }
                float[] data = SafetensorsReader.readFloats(file, ch, header.dataStart(), e, bytes, false);
                out.put(e.name(), Tensor.wrap(data, shape));
            }
            return out;
        }
    }

    private static CheckpointException tooLarge(Path file, SafetensorsHeader.Entry e) {
        return SafetensorsHeader.fail(file, "too-large", e.name(), "has shape " + CheckpointMessages.shape(e.shape())
                + ", more floats or a longer axis than one Java array can hold");
    }
}
