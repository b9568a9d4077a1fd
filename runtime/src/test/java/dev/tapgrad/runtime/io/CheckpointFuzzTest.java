package dev.tapgrad.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Dense;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile checkpoints, generated: truncations at every structural boundary, header lengths and
 * offsets at and around every limit, sparse multi-GB files (RandomAccessFile.setLength, no disk
 * used), deep JSON, every dtype, duplicates, aliasing, bad UTF-8, long names, non-finite values.
 * Each must be a CheckpointException naming the file and its rule, with a short single-line
 * message, and must leave the weights and the BatchNorm moving statistics bit for bit as they
 * were. Runs in its own JVM under -Xmx256m (runtime/pom.xml, execution checkpoint-fuzz), so a
 * reader that sized anything by the file instead of the model fails with OutOfMemoryError.
 */
class CheckpointFuzzTest {
    private static final long GB = 1L << 30;
    private static int cases;

    @TempDir
    static Path dir;

    /** The model: a Dense layer's parameters and a BatchNorm's, then its moving statistics (as GraphSteps orders them). */
    private static List<Parameter> model() {
        Dense d = new Dense("d", 3, 2, Activation.RELU);
        d.initialize(new Random(7));
        BatchNorm bn = new BatchNorm("bn", 2, 0.99, 1e-3);
        List<Parameter> all = new ArrayList<>(d.parameters());
        all.addAll(bn.parameters());
        all.addAll(bn.state());
        float v = 0.25f;
        for (Parameter p : all.subList(2, all.size())) {
            Arrays.fill(p.value().buffer(), v += 0.5f);
        }
        return all;
    }

    /** One tensor of a header: name, dtype, shape, data_offsets. */
    record T(String name, String dtype, String shape, long begin, long end) {
        String json() {
            return quote(name) + ":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** The model's tensors laid out contiguously: d.kernel (3,2), d.bias (2), then the four (2) of bn. */
    private static List<T> good() {
        List<T> ts = new ArrayList<>();
        String[] names = {"d.kernel", "d.bias", "bn.gamma", "bn.beta", "bn.moving_mean", "bn.moving_variance"};
        long at = 0;
        for (String n : names) {
            int count = n.equals("d.kernel") ? 6 : 2;
            ts.add(new T(n, "F32", n.equals("d.kernel") ? "[3,2]" : "[2]", at, at + 4L * count));
            at += 4L * count;
        }
        return ts;
    }

    private static String header(List<T> ts, String extra) {
        StringBuilder s = new StringBuilder("{");
        s.append(extra);
        for (int i = 0; i < ts.size(); i++) {
            s.append(i > 0 ? "," : "").append(ts.get(i).json());
        }
        return s.append('}').toString();
    }

    /** Distinct finite values, 16 floats (64 bytes), so a successful load visibly changes every weight. */
    private static float[] values() {
        float[] v = new float[16];
        for (int i = 0; i < v.length; i++) {
            v[i] = 10 + i;
        }
        return v;
    }

    private static byte[] file(byte[] header, long declaredLength, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(declaredLength).put(header).put(data).array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] padded(String header) {
        StringBuilder s = new StringBuilder(header);
        while (s.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            s.append(' ');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withHeader(String header, byte[] data) {
        byte[] h = padded(header);
        return file(h, h.length, data);
    }

    private static byte[] valid() {
        return withHeader(header(good(), ""), floats(values()));
    }

    private static byte[] replaced(byte[] base, List<T> ts) {
        return withHeader(header(ts, ""), Arrays.copyOfRange(base, base.length - 64, base.length));
    }

    /** A case: the file it writes and the rules it may break (one, unless noted why). */
    private record Case(String label, Set<String> rules, FileMaker make) {}

    private interface FileMaker {
        void write(Path f) throws IOException;
    }

    private static Case bytes(String label, String rule, byte[] content) {
        return new Case(label, Set.of(rule), f -> Files.write(f, content));
    }

    /** A sparse file: {@code head} then holes up to {@code length} bytes, which take no disk space. */
    private static Case sparse(String label, String rule, byte[] head, long length) {
        return new Case(label, Set.of(rule), f -> {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.write(head);
                raf.setLength(length);
            }
        });
    }

    private static List<T> with(int index, T replacement) {
        List<T> ts = new ArrayList<>(good());
        ts.set(index, replacement);
        return ts;
    }

    private static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        byte[] valid = valid();
        String goodHeader = header(good(), "");
        int headerLen = padded(goodHeader).length;
        int dataStart = 8 + headerLen;

        // Truncations: inside the length, at every structural char of the header (before and after it),
        // and at every tensor boundary of the data.
        for (int cut = 0; cut < 8; cut++) {
            cs.add(bytes("cut at " + cut, "too-short", Arrays.copyOf(valid, cut)));
        }
        for (int i = 0; i < goodHeader.length(); i++) {
            if ("{}[]:,\"".indexOf(goodHeader.charAt(i)) >= 0 && i % 3 == 0) {
                cs.add(bytes("cut at header char " + i, "header-length", Arrays.copyOf(valid, 8 + i)));
            }
        }
        for (T t : good()) {
            cs.add(bytes("cut at begin of " + t.name(), "truncated",
                    Arrays.copyOf(valid, dataStart + (int) t.begin())));
            cs.add(bytes("cut 1 byte into " + t.name(), "truncated", Arrays.copyOf(valid, dataStart + (int) t.begin() + 1)));
        }
        cs.add(bytes("cut 1 byte short", "truncated", Arrays.copyOf(valid, valid.length - 1)));
        cs.add(bytes("1 byte appended", "trailing", Arrays.copyOf(valid, valid.length + 1)));

        // Header length at and around its limits.
        byte[] h = padded(goodHeader);
        byte[] data = floats(values());
        cs.add(bytes("header length 0", "header-start", file(h, 0, data)));
        cs.add(bytes("header length one short (cuts the padding)", "trailing", file(h, h.length - 1, data)));
        cs.add(bytes("header length one short of '}'", "json", file(goodHeader.getBytes(StandardCharsets.UTF_8),
                goodHeader.length() - 1, data)));
        cs.add(bytes("header length one long", "json", file(h, h.length + 1, floats(Float.intBitsToFloat(0x41414141)))));
        cs.add(bytes("header length = rest of file + 1", "header-length", file(h, h.length + 65, data)));
        cs.add(bytes("header length -1", "header-too-large", file(h, -1, data)));
        cs.add(bytes("header length 2^63", "header-too-large", file(h, Long.MIN_VALUE, data)));
        cs.add(bytes("header length Long.MAX", "header-too-large", file(h, Long.MAX_VALUE, data)));
        cs.add(bytes("header length 2^31", "header-too-large", file(h, 1L << 31, data)));
        cs.add(bytes("header length 100 MB + 1, file short", "header-too-large", file(h, SafetensorsHeader.MAX_HEADER + 1, data)));
        cs.add(bytes("header length 100 MB, file short", "header-length", file(h, SafetensorsHeader.MAX_HEADER, data)));
        ByteBuffer lenOnly = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        cs.add(sparse("sparse: header length 100 MB + 1 inside a 3 GB file", "header-too-large",
                lenOnly.putLong(0, SafetensorsHeader.MAX_HEADER + 1).array().clone(), 3 * GB));
        cs.add(sparse("sparse: header length 100 MB of zero bytes", "header-start",
                lenOnly.putLong(0, SafetensorsHeader.MAX_HEADER).array().clone(), 3 * GB));
        cs.add(sparse("sparse: header length 2^40 in a 2^41-byte file", "header-too-large",
                lenOnly.putLong(0, 1L << 40).array().clone(), 1L << 41));

        // Sparse multi-GB tensors: the header is checked before anything is read, so none of these is read.
        long huge = 3 * GB;
        List<T> extra = new ArrayList<>(good());
        extra.add(new T("extra", "F32", "[" + huge / 4 + "]", 64, 64 + huge));
        byte[] bigHead = withHeader(header(extra, ""), data);
        cs.add(sparse("sparse: extra 3 GB tensor and 8 bytes more", "trailing", bigHead, bigHead.length + huge + 8));
        cs.add(sparse("sparse: extra 3 GB tensor, file exactly right", "mismatch", bigHead,
                bigHead.length + huge));
        List<T> bigKernel = new ArrayList<>();
        for (T t : good()) {
            bigKernel.add(t.name().equals("d.kernel") ? new T("d.kernel", "F32", "[" + huge / 8 + ",2]", 0, huge)
                    : new T(t.name(), t.dtype(), t.shape(), t.begin() - 24 + huge, t.end() - 24 + huge));
        }
        byte[] bigKernelHead = withHeader(header(bigKernel, ""), new byte[0]);
        cs.add(sparse("sparse: model tensor of 3 GB", "mismatch", bigKernelHead, bigKernelHead.length + huge + 40));
        cs.add(sparse("sparse: 5 GB of trailing holes", "trailing", valid, valid.length + 5 * GB));
        List<T> cutBig = new ArrayList<>(extra);
        byte[] cutHead = withHeader(header(cutBig, ""), data);
        cs.add(sparse("sparse: 3 GB tensor cut 1 byte short", "truncated", cutHead, cutHead.length + huge - 1));

        // Shapes and sizes at and around overflow.
        cs.add(bytes("shape negative", "shape", replaced(valid, with(1, new T("d.bias", "F32", "[-2]", 24, 32)))));
        cs.add(bytes("shape fraction", "shape", replaced(valid, with(1, new T("d.bias", "F32", "[2.0]", 24, 32)))));
        cs.add(bytes("shape exponent", "shape", replaced(valid, with(1, new T("d.bias", "F32", "[2e0]", 24, 32)))));
        cs.add(bytes("shape string", "shape", replaced(valid, with(1, new T("d.bias", "F32", "[\"2\"]", 24, 32)))));
        cs.add(bytes("shape not an array", "shape", replaced(valid, with(1, new T("d.bias", "F32", "2", 24, 32)))));
        cs.add(bytes("shape nested", "shape", replaced(valid, with(1, new T("d.bias", "F32", "[[2]]", 24, 32)))));
        cs.add(bytes("shape 2^63 (past long)", "size-overflow",
                replaced(valid, with(1, new T("d.bias", "F32", "[9223372036854775808]", 24, 32)))));
        cs.add(bytes("shape Long.MAX of F32", "size-overflow",
                replaced(valid, with(1, new T("d.bias", "F32", "[" + Long.MAX_VALUE + "]", 24, 32)))));
        cs.add(bytes("shape 2^61 x 4 of I8 (2^63 bytes)", "size-overflow",
                replaced(valid, with(1, new T("d.bias", "I8", "[2305843009213693952,4]", 24, 32)))));
        cs.add(bytes("shape 2^60 of F64 (2^63 bytes)", "size-overflow",
                replaced(valid, with(1, new T("d.bias", "F64", "[1152921504606846976]", 24, 32)))));
        cs.add(bytes("shape 2^59 of F64 (2^62 bytes, fits), span 8", "span",
                replaced(valid, with(1, new T("d.bias", "F64", "[576460752303423488]", 24, 32)))));
        cs.add(bytes("shape 2^31 elements, span 8", "span",
                replaced(valid, with(1, new T("d.bias", "F32", "[2147483648]", 24, 32)))));
        cs.add(bytes("span one short", "span", replaced(valid, with(1, new T("d.bias", "F32", "[2]", 24, 31)))));
        cs.add(bytes("span one long", "span", replaced(valid, with(1, new T("d.bias", "F32", "[2]", 24, 33)))));
        cs.add(bytes("rank 65", "shape", replaced(valid, with(1, new T("d.bias", "F32", "[2" + ",1".repeat(64) + "]", 24, 32)))));
        cs.add(bytes("rank 64 (allowed, wrong shape)", "mismatch",
                replaced(valid, with(1, new T("d.bias", "F32", "[2" + ",1".repeat(63) + "]", 24, 32)))));
        cs.add(bytes("shape [0] for a (2) parameter", "mismatch",
                withHeader(header(with(5, new T("bn.moving_variance", "F32", "[0]", 56, 56)), ""), Arrays.copyOf(data, 56))));
        cs.add(bytes("transposed kernel", "mismatch", replaced(valid, with(0, new T("d.kernel", "F32", "[2,3]", 0, 24)))));

        // Offsets: aliasing, overlap, gaps, order, and values at the limits.
        cs.add(bytes("two tensors alias the same bytes", "overlap", replaced(valid, with(3, new T("bn.beta", "F32", "[2]", 32, 40)))));
        cs.add(bytes("partial overlap", "overlap", replaced(valid, with(3, new T("bn.beta", "F32", "[2]", 36, 44)))));
        cs.add(bytes("gap of 4 bytes", "gap", replaced(valid, with(3, new T("bn.beta", "F32", "[2]", 44, 52)))));
        cs.add(bytes("first tensor not at 0", "gap", replaced(valid, with(0, new T("d.kernel", "F32", "[3,2]", 4, 28)))));
        cs.add(bytes("begin after end", "offsets", replaced(valid, with(1, new T("d.bias", "F32", "[2]", 32, 24)))));
        cs.add(bytes("negative offset", "offsets", replaced(valid, with(1, new T("d.bias", "F32", "[2]", -8, 0)))));
        cs.add(bytes("offset 2^63", "offsets",
                withHeader(header(good(), "").replace("[24,32]", "[9223372036854775808,9223372036854775816]"), data)));
        cs.add(bytes("offsets Long.MAX-8..Long.MAX", "gap",
                replaced(valid, with(1, new T("d.bias", "F32", "[2]", Long.MAX_VALUE - 8, Long.MAX_VALUE)))));
        cs.add(bytes("three offsets", "offsets", withHeader(header(good(), "").replace("[24,32]", "[24,32,40]"), data)));
        cs.add(bytes("one offset", "offsets", withHeader(header(good(), "").replace("[24,32]", "[24]"), data)));
        cs.add(bytes("tensor past the end", "truncated",
                withHeader(header(with(5, new T("bn.moving_variance", "F32", "[4]", 56, 72)), ""), data)));

        // Every dtype: known ones are measured by their own size and refused as not F32; unknown ones are refused.
        String[] dtypes = {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "I16", "U16", "F16", "BF16", "I32", "U32",
            "I64", "U64", "F64", "C64"};
        int[] bytesPer = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 8, 8, 8, 8};
        for (int i = 0; i < dtypes.length; i++) {
            List<T> ts = new ArrayList<>(good());
            int n = 2 * bytesPer[i];
            ts.set(5, new T("bn.moving_variance", dtypes[i], "[2]", 56, 56 + n));
            cs.add(bytes("dtype " + dtypes[i], "dtype", withHeader(header(ts, ""), Arrays.copyOf(data, 56 + n))));
            ts.set(5, new T("bn.moving_variance", dtypes[i], "[2]", 56, 56 + n + 1));
            cs.add(bytes("dtype " + dtypes[i] + " span off by one", "span", withHeader(header(ts, ""), Arrays.copyOf(data, 57 + n))));
        }
        cs.add(bytes("dtype F4, 2 elements = 1 byte", "dtype", withHeader(header(with(5, new T("bn.moving_variance", "F4", "[2]", 56, 57)), ""),
                Arrays.copyOf(data, 57))));
        cs.add(bytes("dtype F4, 3 elements = 1.5 bytes", "misaligned",
                withHeader(header(with(5, new T("bn.moving_variance", "F4", "[3]", 56, 57)), ""), Arrays.copyOf(data, 57))));
        cs.add(bytes("dtype F6_E2M3, 2 elements", "misaligned",
                withHeader(header(with(5, new T("bn.moving_variance", "F6_E2M3", "[2]", 56, 57)), ""), Arrays.copyOf(data, 57))));
        cs.add(bytes("dtype F6_E3M2, 4 elements = 3 bytes", "dtype",
                withHeader(header(with(5, new T("bn.moving_variance", "F6_E3M2", "[4]", 56, 59)), ""), Arrays.copyOf(data, 59))));
        for (String bad : new String[] {"f32", "F31", "", "FLOAT", "F32 ", "X".repeat(5000)}) {
            cs.add(bytes("unknown dtype " + bad.length() + ":" + bad.substring(0, Math.min(5, bad.length())), "dtype-unknown",
                    replaced(valid, with(1, new T("d.bias", bad, "[2]", 24, 32)))));
        }
        cs.add(bytes("dtype a number", "json", withHeader(goodHeader.replaceFirst("\"F32\"", "32"), data)));

        // Duplicates, detected while parsing.
        List<T> dup = new ArrayList<>(good());
        dup.add(new T("d.bias", "F32", "[2]", 64, 72));
        cs.add(bytes("name twice", "duplicate", withHeader(header(dup, ""), Arrays.copyOf(data, 72))));
        cs.add(bytes("name twice, same offsets", "duplicate", withHeader(header(good(), "") .replace("}}", "},"
                + new T("d.bias", "F32", "[2]", 24, 32).json() + "}"), data)));
        cs.add(bytes("name twice, once escaped", "duplicate", withHeader(header(good(), "").replace("}}", "},"
                + new T("d\\u002ebias", "F32", "[2]", 24, 32).json() + "}"), data)));
        cs.add(bytes("__metadata__ twice", "duplicate", withHeader(header(good(), "\"__metadata__\":{},\"__metadata__\":{},"), data)));
        cs.add(bytes("dtype twice in an entry", "duplicate", withHeader(goodHeader.replaceFirst("\"dtype\":\"F32\"",
                "\"dtype\":\"F32\",\"dtype\":\"F32\""), data)));
        cs.add(bytes("data_offsets twice in an entry", "duplicate", withHeader(goodHeader.replaceFirst("\"data_offsets\":\\[0,24\\]",
                "\"data_offsets\":[0,24],\"data_offsets\":[0,24]"), data)));

        // Deep JSON, at and past the limit, in metadata and inside an entry.
        for (int levels : new int[] {SafetensorsHeader.MAX_DEPTH, SafetensorsHeader.MAX_DEPTH + 1, 1000, 200_000}) {
            // the metadata value sits at depth 2, so its innermost array is at levels + 1
            String deep = "[".repeat(levels) + "]".repeat(levels);
            cs.add(bytes("metadata nested to depth " + (levels + 1), "depth",
                    withHeader(header(good(), "\"__metadata__\":" + deep + ","), data)));
            cs.add(bytes("entry field nested to depth " + (levels + 3), "depth",
                    withHeader(goodHeader.replaceFirst("\"dtype\"", "\"x\":" + "{\"a\":".repeat(levels) + "1" + "}".repeat(levels)
                            + ",\"dtype\""), data)));
        }

        // Not JSON, not an object, not UTF-8, and entries that are not entries.
        cs.add(bytes("header is an array", "header-start", withHeader("[]", data)));
        cs.add(bytes("header is a string", "header-start", withHeader("\"x\"", data)));
        cs.add(bytes("header starts with a UTF-8 BOM", "header-start", file(("\uFEFF" + goodHeader).getBytes(StandardCharsets.UTF_8),
                goodHeader.length() + 3, data)));
        cs.add(bytes("text after the object", "json", withHeader(goodHeader + "x", data)));
        cs.add(bytes("second object", "json", withHeader(goodHeader + "{}", data)));
        cs.add(bytes("missing colon", "json", withHeader(goodHeader.replaceFirst("\"d.bias\":", "\"d.bias\" "), data)));
        cs.add(bytes("missing comma", "json", withHeader(goodHeader.replaceFirst("\\]\\},", "]} "), data)));
        cs.add(bytes("trailing comma", "json", withHeader(goodHeader.replaceFirst("\\}$", ",}"), data)));
        cs.add(bytes("single quotes", "json", withHeader(goodHeader.replaceFirst("\"d.bias\"", "'d.bias'"), data)));
        cs.add(bytes("control char in a name", "json", withHeader(goodHeader.replaceFirst("d.bias", "d.\tbias"), data)));
        cs.add(bytes("bad escape", "json", withHeader(goodHeader.replaceFirst("d.bias", "d\\\\q").replace("\\\\q", "\\q"), data)));
        cs.add(bytes("bad unicode escape", "json", withHeader(goodHeader.replaceFirst("d.bias", "d\\\\u00zz").replace("\\\\u", "\\u"), data)));
        cs.add(bytes("unterminated string at the end", "json", withHeader("{\"d.kernel", data)));
        cs.add(bytes("unclosed object", "json", withHeader(goodHeader.substring(0, goodHeader.length() - 1), data)));
        cs.add(bytes("bad literal", "json", withHeader(header(good(), "\"__metadata__\":nul,"), data)));
        for (byte[] badUtf8 : new byte[][] {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAE},
            {(byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}) {
            byte[] hb = goodHeader.getBytes(StandardCharsets.UTF_8);
            int at = goodHeader.indexOf("d.bias") + 1;
            byte[] withBad = new byte[hb.length + badUtf8.length];
            System.arraycopy(hb, 0, withBad, 0, at);
            System.arraycopy(badUtf8, 0, withBad, at, badUtf8.length);
            System.arraycopy(hb, at, withBad, at + badUtf8.length, hb.length - at);
            cs.add(bytes("invalid UTF-8 " + Arrays.toString(badUtf8), "utf8", file(withBad, withBad.length, data)));
        }
        cs.add(bytes("entry is a number", "entry", withHeader(header(good(), "\"x\":1,"), data)));
        cs.add(bytes("entry is empty", "entry", withHeader(header(good(), "\"x\":{},"), data)));
        cs.add(bytes("entry without dtype", "entry", withHeader(goodHeader.replaceFirst("\"dtype\":\"F32\",", ""), data)));
        cs.add(bytes("entry without shape", "entry", withHeader(goodHeader.replaceFirst("\"shape\":\\[3,2\\],", ""), data)));
        cs.add(bytes("entry without data_offsets", "entry", withHeader(goodHeader.replaceFirst(",\"data_offsets\":\\[0,24\\]", ""), data)));

        // Names: long, odd, and extra tensors the model does not have.
        String atLimit = "n".repeat(SafetensorsHeader.MAX_NAME);
        cs.add(bytes("name at the length limit", "mismatch", withHeader(header(good(), quote(atLimit)
                + ":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"), data)));
        cs.add(bytes("name 1 over the length limit", "name-length", withHeader(header(good(), quote(atLimit + "n")
                + ":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"), data)));
        cs.add(bytes("name of 1 MB", "name-length", withHeader(header(good(), quote("n".repeat(1 << 20)) + ":1,"), data)));
        cs.add(bytes("name with a newline escape", "mismatch", withHeader(header(good(), quote("evil\\nINFO: loaded")
                + ":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"), data)));
        cs.add(bytes("name with a right-to-left override", "mismatch", withHeader(header(good(), quote("a\u202Eb")
                + ":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"), data)));
        cs.add(bytes("empty name", "mismatch", withHeader(header(good(), "\"\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"),
                data)));
        cs.add(bytes("missing a state tensor", "mismatch", withHeader(header(good().subList(0, 5), ""), Arrays.copyOf(data, 56))));
        cs.add(bytes("empty header", "mismatch", withHeader("{}", new byte[0])));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < SafetensorsHeader.MAX_TENSORS - good().size(); i++) {
            many.append("\"z").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},");
        }
        cs.add(bytes("tensors at the count limit", "mismatch", withHeader(header(good(), many.toString()), data)));
        cs.add(bytes("tensors 1 over the count limit", "too-many", withHeader(header(good(), many + "\"zz\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"), data)));

        // Non-finite values in each tensor, checked while reading, before anything is copied.
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7f800001)};
        for (T t : good()) {
            for (float s : specials) {
                float[] v = values();
                v[(int) (t.end() / 4) - 1] = s;
                cs.add(bytes(s + " in last value of " + t.name(), "non-finite", withHeader(goodHeader, floats(v))));
            }
        }
        return cs;
    }

    @TestFactory
    Stream<DynamicTest> everyHostileFileIsRefusedAndChangesNothing() {
        List<Case> cs = cases();
        cases = cs.size();
        return cs.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> check(c)));
    }

    private static void check(Case c) throws IOException {
        Path f = dir.resolve("hostile.safetensors");
        Files.deleteIfExists(f);
        c.make().write(f);
        List<Parameter> ps = model();
        int[][] before = bits(ps);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(f, ps, "Fuzz"));
        String m = e.getMessage();
        assertTrue(m.startsWith("hostile.safetensors: "), m);
        String rule = m.substring(m.lastIndexOf('[') + 1, m.length() - 1);
        assertTrue(c.rules().contains(rule) && m.endsWith("]"), "expected rule " + c.rules() + ": " + m);
        assertTrue(m.length() < 2000, "message of " + m.length() + " chars");
        assertFalse(m.contains("\n") || m.contains("\u202E"), "message carries raw control characters: " + m);
        assertEquals(f, e.file());
        int[][] after = bits(ps);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], ps.get(i).name() + " changed");
        }
        Files.delete(f);
    }

    private static int[][] bits(List<Parameter> ps) {
        int[][] out = new int[ps.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] v = ps.get(i).value().buffer();
            out[i] = new int[v.length];
            for (int k = 0; k < v.length; k++) {
                out[i][k] = Float.floatToRawIntBits(v[k]);
            }
        }
        return out;
    }

    /** The harness can fail: the valid file and the limit cases just inside every bound do load. */
    @Test
    void theValidFileAndTheLimitsJustInsideLoad() throws IOException {
        String goodHeader = header(good(), "");
        byte[] data = floats(values());
        List<byte[]> files = List.of(valid(),
                withHeader(header(good(), "\"__metadata__\":" + "[".repeat(SafetensorsHeader.MAX_DEPTH - 1)
                        + "]".repeat(SafetensorsHeader.MAX_DEPTH - 1) + ","), data),
                withHeader(goodHeader.replace("{\"dtype\":\"F32\",\"shape\":[3,2]",   // literal: the escaped quote stays
                        "{\"x\":{\"a\":[1,-2.5e3,true,false,null,\"s\\\"\"]},\"dtype\":\"F32\",\"shape\":[3,2]"), data),
                withHeader(header(good(), "\"__metadata__\":{\"format\":\"pt\"},"), data),
                withHeader(" \n\t" + goodHeader, data));
        for (byte[] content : files) {
            Path f = dir.resolve("fine.safetensors");
            Files.write(f, content);
            List<Parameter> ps = model();
            Checkpoints.load(f, ps, "Fuzz");
            float[] all = new float[16];
            int at = 0;
            for (Parameter p : ps) {
                float[] v = p.value().buffer();
                System.arraycopy(v, 0, all, at, v.length);
                at += v.length;
            }
            assertArrayEquals(values(), all);
        }
    }

    @AfterAll
    static void enoughCases() {
        assertTrue(cases >= 100, "only " + cases + " hostile files");
    }
}
