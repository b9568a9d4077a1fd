package dev.tapgrad.runtime.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes safetensors files of float32 tensors: an 8-byte little-endian header length, a
 * JSON header {@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}}
 * padded with spaces to a multiple of 8, then the little-endian data. The format of Hugging Face's
 * {@code safetensors}, so files from PyTorch or Keras load when they hold F32 tensors.
 */
public final class Safetensors {
    /** The reference implementation refuses larger headers; so do we, before allocating one. */
    private static final long MAX_HEADER = 100L * 1024 * 1024;
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
     * Reads every tensor, in header order; {@code __metadata__} is ignored.
     *
     * @throws CheckpointException naming the file and the problem for a file that is too short,
     *     has a bad header length or header, a dtype other than F32, sizes that disagree, or
     *     truncated data
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file, "file is " + size + " bytes, shorter than the 8-byte header length"
                        + " that starts every safetensors file");
            }
            ByteBuffer lenBuf = readAt(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = lenBuf.getLong();
            if (headerLen < 0 || headerLen > size - 8) {
                throw new CheckpointException(file, "header length is " + Long.toUnsignedString(headerLen)
                        + " bytes but only " + (size - 8) + " bytes follow it; this is not a safetensors file or it is truncated");
            }
            if (headerLen > MAX_HEADER) {
                throw new CheckpointException(file, "header length " + headerLen + " exceeds the 100 MB safetensors limit");
            }
            String json = StandardCharsets.UTF_8.decode(readAt(ch, 8, (int) headerLen)).toString();
            List<Entry> entries = parseHeader(file, json);
            long dataStart = 8 + headerLen;
            checkOffsets(file, entries, size - dataStart);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer bytes = readAt(ch, dataStart + e.begin, (int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                float[] data = new float[(int) ((e.end - e.begin) / 4)];
                bytes.asFloatBuffer().get(data);
                out.put(e.name, Tensor.wrap(data, e.shape));
            }
            return out;
        }
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    /** One tensor's header entry, checked on its own. */
    private record Entry(String name, int[] shape, long begin, long end) {}

    private static List<Entry> parseHeader(Path file, String json) throws CheckpointException {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("unexpected text after the JSON object");
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new CheckpointException(file, "header is not valid JSON (" + e.getMessage() + "): "
                    + abbreviate(json), e);
        }
        if (!root.isJsonObject()) {
            throw new CheckpointException(file, "header is JSON but not an object: " + abbreviate(json));
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            if (!e.getKey().equals(METADATA)) {
                entries.add(parseEntry(file, e.getKey(), e.getValue()));
            }
        }
        return entries;
    }

    private static Entry parseEntry(Path file, String name, JsonElement value) throws CheckpointException {
        String where = "tensor '" + name + "'";
        if (!value.isJsonObject()) {
            throw new CheckpointException(file, where + ": expected an object with dtype, shape and data_offsets, found " + value);
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtype = o.get("dtype");
        if (dtype == null || !dtype.isJsonPrimitive() || !dtype.getAsJsonPrimitive().isString()) {
            throw new CheckpointException(file, where + " has no dtype string");
        }
        if (!dtype.getAsString().equals("F32")) {
            throw new CheckpointException(file, where + " has dtype " + dtype.getAsString()
                    + "; Tapgrad reads only F32 (float32) tensors: convert the checkpoint to float32 first");
        }
        long[] shapeL = longs(file, where, "shape", o.get("shape"), -1);
        long[] offsets = longs(file, where, "data_offsets", o.get("data_offsets"), 2);
        int[] shape = new int[shapeL.length];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            count *= shapeL[i];
            if (shapeL[i] > Integer.MAX_VALUE || count > Integer.MAX_VALUE) {
                throw new CheckpointException(file, where + " has shape " + o.get("shape")
                        + ", too large for one Java array");
            }
            shape[i] = (int) shapeL[i];
        }
        if (offsets[0] > offsets[1]) {
            throw new CheckpointException(file, where + " has data_offsets " + o.get("data_offsets") + " whose begin is after its end");
        }
        if (offsets[1] - offsets[0] != 4 * count) {
            throw new CheckpointException(file, where + " has shape " + o.get("shape") + ", " + count + " floats = "
                    + 4 * count + " bytes, but its data_offsets " + o.get("data_offsets") + " cover "
                    + (offsets[1] - offsets[0]) + " bytes");
        }
        return new Entry(name, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(Path file, String where, String field, JsonElement value, int length)
            throws CheckpointException {
        if (value == null || !value.isJsonArray() || (length >= 0 && value.getAsJsonArray().size() != length)) {
            throw new CheckpointException(file, where + ": " + field + " must be an array of "
                    + (length >= 0 ? length + " " : "") + "non-negative integers, found " + value);
        }
        JsonArray a = value.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            try {
                JsonPrimitive p = v.getAsJsonPrimitive();
                if (!p.isNumber()) {
                    throw new NumberFormatException();
                }
                out[i] = p.getAsBigDecimal().longValueExact();
            } catch (RuntimeException e) {
                out[i] = -1;
            }
            if (out[i] < 0) {
                throw new CheckpointException(file, where + ": " + field + " must hold non-negative integers, found " + a);
            }
        }
        return out;
    }

    /**
     * Each tensor must lie inside the data. When the header describes a well-formed, contiguous
     * layout that merely ends past the file, the file was cut off, and we say so.
     */
    private static void checkOffsets(Path file, List<Entry> entries, long dataLength) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        long end = 0;
        boolean contiguous = true;
        for (Entry e : sorted) {
            contiguous &= e.begin == end;
            end = Math.max(end, e.end);
        }
        if (end <= dataLength) {
            return;
        }
        if (contiguous) {
            throw new CheckpointException(file, "file is truncated: the header describes " + end
                    + " bytes of tensor data but only " + dataLength + " bytes follow the header");
        }
        for (Entry e : entries) {
            if (e.end > dataLength) {
                throw new CheckpointException(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", " + e.end
                        + "] outside the data, which is " + dataLength + " bytes long");
            }
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 117) + "...";
    }
}
