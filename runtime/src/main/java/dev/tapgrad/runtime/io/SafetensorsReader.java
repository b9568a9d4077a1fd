package dev.tapgrad.runtime.io;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.io.SafetensorsHeader.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads a safetensors file into a model's parameters, all or nothing. The header is checked whole
 * ({@link SafetensorsHeader}) and against the model's names, dtypes and shapes before any data is
 * read; then each tensor is read in chunks into a scratch copy and checked for NaN and infinity;
 * only when every tensor has been read and checked are the parameters overwritten. Memory is the
 * model's size plus one chunk, whatever the file's size.
 */
final class SafetensorsReader {
    /** Floats per positional read. */
    private static final int CHUNK = 1 << 16;
    /** Mismatches listed in one message; the rest are counted. */
    private static final int LISTED = 10;

    private SafetensorsReader() {}

    /** See {@link Checkpoints#load}. */
    static void load(Path file, List<Parameter> params, String modelName) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, ch);
            Map<String, Entry> byName = new HashMap<>();
            for (Entry e : header.entries()) {
                byName.put(e.name(), e);
            }
            match(file, header.entries(), byName, params, modelName);
            float[][] staged = new float[params.size()][];
            ByteBuffer bytes = chunkBuffer();
            for (int i = 0; i < staged.length; i++) {
                Entry e = byName.get(params.get(i).name());
                staged[i] = readFloats(file, ch, header.dataStart(), e, bytes, true);
            }
            for (int i = 0; i < staged.length; i++) {
                float[] target = params.get(i).value().buffer();
                System.arraycopy(staged[i], 0, target, 0, target.length);
            }
        }
    }

    /** Every parameter present as F32 with its shape, and nothing else in the file. */
    private static void match(Path file, List<Entry> entries, Map<String, Entry> byName, List<Parameter> params,
            String modelName) throws CheckpointException {
        for (Parameter p : params) {
            Entry e = byName.get(p.name());
            if (e != null && !e.dtype().equals("F32")) {
                throw SafetensorsHeader.fail(file, "dtype", p.name(), "has dtype " + e.dtype() + "; Tapgrad loads only"
                        + " F32 (float32) tensors: convert the checkpoint to float32 first. No weights were changed.");
            }
        }
        List<String> problems = new ArrayList<>();
        for (Parameter p : params) {
            Entry e = byName.get(p.name());
            long[] expected = Arrays.stream(p.value().shape()).asLongStream().toArray();
            if (e == null) {
                problems.add("missing " + p.name() + " " + CheckpointMessages.shape(expected));
            } else if (!Arrays.equals(e.shape(), expected)) {
                problems.add(p.name() + " has shape " + CheckpointMessages.shape(e.shape()) + " in the file but "
                        + CheckpointMessages.shape(expected) + " in " + modelName);
            }
        }
        Set<String> names = params.stream().map(Parameter::name).collect(Collectors.toSet());
        for (Entry e : entries) {
            if (!names.contains(e.name())) {
                problems.add("unexpected " + CheckpointMessages.bare(e.name()) + " "
                        + CheckpointMessages.shape(e.shape()) + ", which " + modelName + " does not have");
            }
        }
        if (!problems.isEmpty()) {
            String listed = String.join("; ", problems.subList(0, Math.min(LISTED, problems.size())))
                    + (problems.size() > LISTED ? "; and " + (problems.size() - LISTED) + " more" : "");
            throw SafetensorsHeader.fail(file, "mismatch", null, "does not match " + modelName + " (its parameters are "
                    + params.stream().map(Parameter::name).collect(Collectors.toList()) + "): " + listed
                    + ". No weights were changed.");
        }
    }

    /** A little-endian buffer of one chunk, for {@link #readFloats}. */
    static ByteBuffer chunkBuffer() {
        return ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * One F32 tensor's floats, read chunk by chunk through {@code bytes} (a {@link #chunkBuffer}); with
     * {@code finiteOnly} a NaN or infinity is an error naming its index.
     */
    static float[] readFloats(Path file, FileChannel ch, long dataStart, Entry e, ByteBuffer bytes, boolean finiteOnly)
            throws IOException {
        float[] out = new float[Math.toIntExact((e.end() - e.begin()) / 4)];
        for (int i = 0; i < out.length; i += CHUNK) {
            int n = Math.min(CHUNK, out.length - i);
            bytes.clear().limit(4 * n);
            SafetensorsHeader.readFully(file, ch, bytes, dataStart + e.begin() + 4L * i);
            FloatBuffer floats = bytes.flip().asFloatBuffer();
            floats.get(out, i, n);
            for (int k = i; finiteOnly && k < i + n; k++) {
                if (!Float.isFinite(out[k])) {
                    throw SafetensorsHeader.fail(file, "non-finite", e.name(), "holds " + out[k] + " at index " + k
                            + " (flat, row-major) of shape " + CheckpointMessages.shape(e.shape())
                            + "; a checkpoint of a diverged model cannot be loaded. No weights were changed.");
                }
            }
        }
        return out;
    }
}
