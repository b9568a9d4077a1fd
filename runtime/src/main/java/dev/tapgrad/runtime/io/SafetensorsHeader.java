package dev.tapgrad.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file, read and checked against every rule of the format before a
 * byte of tensor data is read: header length within the file and at most 100 MB, a strict UTF-8
 * JSON object of bounded depth, known dtypes, non-negative shapes whose byte size (overflow
 * checked) equals the {@code data_offsets} span, no duplicate names, and offsets that tile the data
 * exactly once, from 0 to the end of the file. The JSON is parsed here by a small streaming parser
 * rather than Gson's tree, so that depth, name lengths and duplicates are caught while parsing and
 * memory stays bounded whatever the file holds (Gson's tree of a deep header overflowed the stack
 * when printed, and its JsonReader keeps one stack slot per nesting level).
 */
final class SafetensorsHeader {
    /** The reference implementation refuses larger headers (safetensors' MAX_HEADER_SIZE). */
    static final long MAX_HEADER = 100L * 1024 * 1024;
    /** JSON nesting allowed: a header needs 3 (object, entry, shape); the rest is for metadata. */
    static final int MAX_DEPTH = 32;
    /** Longest tensor name kept, in chars: names are layer.param keys, far shorter. */
    static final int MAX_NAME = 1024;
    /** Most entries a header may have; bounds the memory a hostile header can take. */
    static final int MAX_TENSORS = 16_384;
    /** Most dimensions a shape may have. */
    static final int MAX_RANK = 64;
    static final String METADATA = "__metadata__";

    /** Bits per element of every dtype of the safetensors format. */
    static final Map<String, Integer> DTYPE_BITS = Map.ofEntries(
            Map.entry("BOOL", 8), Map.entry("U8", 8), Map.entry("I8", 8), Map.entry("F8_E5M2", 8),
            Map.entry("F8_E4M3", 8), Map.entry("F8_E8M0", 8), Map.entry("F4", 4), Map.entry("F6_E2M3", 6),
            Map.entry("F6_E3M2", 6), Map.entry("I16", 16), Map.entry("U16", 16), Map.entry("F16", 16),
            Map.entry("BF16", 16), Map.entry("I32", 32), Map.entry("U32", 32), Map.entry("F32", 32),
            Map.entry("I64", 64), Map.entry("U64", 64), Map.entry("F64", 64), Map.entry("C64", 64));

    /** One tensor's entry; {@code begin} and {@code end} are relative to the data's start. */
    record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    private final Path file;
    private final List<Entry> entries;
    private final long dataStart;

    private SafetensorsHeader(Path file, List<Entry> entries, long dataStart) {
        this.file = file;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    /** The entries in header order. */
    List<Entry> entries() {
        return entries;
    }

    /** Where the data starts in the file: 8 + the header length. */
    long dataStart() {
        return dataStart;
    }

    /** Reads and checks the header of {@code ch}, the open {@code file}. */
    static SafetensorsHeader read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw fail(file, "too-short", null, "file is " + size + " bytes, shorter than the 8-byte header length"
                    + " that starts every safetensors file");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long headerLen = lenBuf.flip().getLong();
        // Compared unsigned: a length with the top bit set is huge, not negative.
        if (Long.compareUnsigned(headerLen, MAX_HEADER) > 0) {
            throw fail(file, "header-too-large", null, "header length " + Long.toUnsignedString(headerLen)
                    + " exceeds the 100 MB safetensors limit; this is not a safetensors file or it is corrupt");
        }
        if (headerLen > size - 8) {
            throw fail(file, "header-length", null, "header length is " + headerLen + " bytes but only " + (size - 8)
                    + " bytes follow it; this is not a safetensors file or it is truncated");
        }
        List<Entry> entries = new HeaderParser(file, channelReader(ch, headerLen)).parse();
        checkTiling(file, entries, size - 8 - headerLen);
        return new SafetensorsHeader(file, entries, 8 + headerLen);
    }

    /** Reads {@code buf.remaining()} bytes at {@code position}, or fails naming the file as truncated. */
    static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n;
            try {
                n = ch.read(buf, p);
            } catch (IOException e) {
                throw new CheckpointException(file, CheckpointMessages.message("io", null, "reading byte " + p
                        + " failed: " + e.getClass().getSimpleName()), e);
            }
            if (n < 0) {
                throw fail(file, "truncated", null, "file ended at byte " + p + " while reading; it was cut off or"
                        + " changed while being read");
            }
            p += n;
        }
    }

    /**
     * The offsets must tile the data exactly once: sorted by begin, each tensor starts where the
     * previous one ended, the first at 0, and the last ends at the end of the file. So no byte is
     * read for two tensors (aliasing) and none is left over (a header length off by some bytes).
     */
    private static void checkTiling(Path file, List<Entry> entries, long dataLength) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw fail(file, "overlap", e.name, "data_offsets [" + e.begin + ", " + e.end + "] overlap those of tensor "
                        + CheckpointMessages.show(previous.name) + ", which end at " + expected
                        + "; every byte of data must belong to one tensor");
            }
            if (e.begin > expected) {
                throw fail(file, "gap", e.name, "data_offsets [" + e.begin + ", " + e.end + "] leave bytes " + expected
                        + " to " + e.begin + " of the data unused; tensors must follow each other without gaps");
            }
            expected = e.end;
            previous = e;
        }
        if (expected > dataLength) {
            throw fail(file, "truncated", previous.name, "file is truncated: the header describes " + expected
                    + " bytes of tensor data but only " + dataLength + " bytes follow the header");
        }
        if (expected < dataLength) {
            throw fail(file, "trailing", null, "the header describes " + expected + " bytes of tensor data but "
                    + dataLength + " bytes follow it; the header length or the offsets are wrong");
        }
    }

    static CheckpointException fail(Path file, String rule, String tensor, String problem) {
        return new CheckpointException(file, CheckpointMessages.message(rule, tensor, problem));
    }

    /** The header bytes as chars, decoded strictly: malformed UTF-8 is an error, not a replacement char. */
    private static Reader channelReader(FileChannel ch, long length) {
        InputStream in = new InputStream() {
            private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            private long position = 8;
            private final long end = 8 + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= end) {
                    return -1;
                }
                buf.clear().limit((int) Math.min(Math.min(len, buf.capacity()), end - position));
                int n = ch.read(buf, position);
                if (n <= 0) {
                    return -1;
                }
                buf.flip().get(b, off, n);
                position += n;
                return n;
            }
        };
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }
}
