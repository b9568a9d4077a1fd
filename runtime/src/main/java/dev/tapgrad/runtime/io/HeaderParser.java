package dev.tapgrad.runtime.io;

import static dev.tapgrad.runtime.io.SafetensorsHeader.MAX_DEPTH;
import static dev.tapgrad.runtime.io.SafetensorsHeader.MAX_NAME;
import static dev.tapgrad.runtime.io.SafetensorsHeader.MAX_RANK;
import static dev.tapgrad.runtime.io.SafetensorsHeader.MAX_TENSORS;
import static dev.tapgrad.runtime.io.SafetensorsHeader.fail;

import dev.tapgrad.runtime.io.SafetensorsHeader.Entry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A streaming parser of exactly the JSON a safetensors header may hold, checking each entry as it
 * goes (see {@link SafetensorsHeader}); recursion is bounded by {@link SafetensorsHeader#MAX_DEPTH}
 * and every string it keeps by a length, so neither the stack nor the heap grows with the file.
 */
final class HeaderParser {
    private final Path file;
    private final Reader in;
    private final char[] buf = new char[8192];
    private int pos;
    private int len;
    private long offset;
    private String tensor;

    HeaderParser(Path file, Reader in) {
        this.file = file;
        this.in = in;
    }

    List<Entry> parse() throws CheckpointException {
        skipSpace();
        if (peek() != '{') {
            throw error("header-start", "header must be a JSON object starting with '{', found "
                    + describe(peek()) + "; this is not a safetensors file");
        }
        next();
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        skipSpace();
        if (peek() == '}') {
            next();
        } else {
            while (true) {
                skipSpace();
                String name = string(MAX_NAME, "name-length");
                if (!names.add(name)) {
                    throw fail(file, "duplicate", name, "appears twice in the header; each tensor name must be unique");
                }
                colon();
                if (name.equals(SafetensorsHeader.METADATA)) {
                    skipValue(2);
                } else {
                    if (entries.size() == MAX_TENSORS) {
                        throw fail(file, "too-many", name, "the header has more than " + MAX_TENSORS + " tensors");
                    }
                    tensor = name;
                    entries.add(entry(name));
                    tensor = null;
                }
                skipSpace();
                int c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw syntax("',' or '}'", c);
                }
            }
        }
        skipSpace();
        if (peek() != -1) {
            throw error("json", "unexpected " + describe(peek()) + " after the header's closing '}' at char " + offset);
        }
        return entries;
    }

    private Entry entry(String name) throws CheckpointException {
        skipSpace();
        if (next() != '{') {
            throw error("entry", "expected an object with dtype, shape and data_offsets at char " + (offset - 1));
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        skipSpace();
        if (peek() == '}') {
            next();
        } else {
            while (true) {
                skipSpace();
                String key = string(64, null);
                colon();
                if ("dtype".equals(key)) {
                    require(dtype == null, key);
                    skipSpace();
                    dtype = string(16, null);
                    if (dtype == null || !SafetensorsHeader.DTYPE_BITS.containsKey(dtype)) {
                        throw error("dtype-unknown", "dtype " + (dtype == null ? "(too long)" : CheckpointMessages.show(dtype))
                                + " is not a safetensors dtype; expected one of " + new TreeSet<>(SafetensorsHeader.DTYPE_BITS.keySet()));
                    }
                } else if ("shape".equals(key)) {
                    require(shape == null, key);
                    shape = integers("shape", MAX_RANK);
                } else if ("data_offsets".equals(key)) {
                    require(offsets == null, key);
                    offsets = integers("data_offsets", 2);
                    if (offsets.length != 2) {
                        throw error("offsets", "data_offsets must hold 2 integers [begin, end], found " + offsets.length);
                    }
                } else {
                    skipValue(3);   // other keys are allowed and ignored, like the reference reader does
                }
                skipSpace();
                int c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw syntax("',' or '}'", c);
                }
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw error("entry", "entry lacks " + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets")
                    + "; every tensor needs dtype, shape and data_offsets");
        }
        if (offsets[0] > offsets[1]) {
            throw error("offsets", "data_offsets [" + offsets[0] + ", " + offsets[1] + "] begin after they end");
        }
        long bits = SafetensorsHeader.DTYPE_BITS.get(dtype);
        long bytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            // elements * bits / 8 without overflowing where the byte count itself fits (sub-byte dtypes too)
            bytes = Math.addExact(Math.multiplyExact(elements / 8, bits), elements % 8 * bits / 8);
            if (elements % 8 * bits % 8 != 0) {
                throw error("misaligned", "shape " + CheckpointMessages.shape(shape) + " of " + dtype
                        + " does not fill whole bytes");
            }
        } catch (ArithmeticException e) {
            throw error("size-overflow", "shape " + CheckpointMessages.shape(shape) + " of " + dtype
                    + " holds more bytes than a file can");
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw error("span", "shape " + CheckpointMessages.shape(shape) + " of " + dtype + " is " + bytes
                    + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + "] span " + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private void require(boolean firstTime, String key) throws CheckpointException {
        if (!firstTime) {
            throw error("duplicate", "field " + key + " appears twice in the entry");
        }
    }

    /** An array of non-negative integers that fit in a long, at most {@code max} of them. */
    private long[] integers(String field, int max) throws CheckpointException {
        String rule = field.equals("shape") ? "shape" : "offsets";
        skipSpace();
        if (next() != '[') {
            throw error(rule, field + " must be an array of non-negative integers");
        }
        long[] out = new long[Math.min(max, 8)];
        int n = 0;
        skipSpace();
        if (peek() == ']') {
            next();
            return new long[0];
        }
        while (true) {
            skipSpace();
            if (n == max) {
                throw error(rule, field + " has more than " + max + " values");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.min(max, 2 * n));
            }
            out[n++] = integer(field, rule);
            skipSpace();
            int c = next();
            if (c == ']') {
                return Arrays.copyOf(out, n);
            }
            if (c != ',') {
                throw syntax("',' or ']' in " + field, c);
            }
        }
    }

    private long integer(String field, String rule) throws CheckpointException {
        StringBuilder token = new StringBuilder();
        while (isNumberChar(peek())) {
            int c = next();
            if (token.length() < 32) {
                token.append((char) c);
            }
        }
        String t = token.toString();
        if (!t.matches("0|[1-9][0-9]*")) {
            throw error(rule, field + " must hold non-negative integers, found "
                    + (t.isEmpty() ? describe(peek()) : CheckpointMessages.show(t)));
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error(rule.equals("shape") ? "size-overflow" : rule, field + " value " + CheckpointMessages.show(t)
                    + " is larger than a file can be");
        }
    }

    /** Skips any JSON value, refusing nesting deeper than MAX_DEPTH ({@code depth} is the value's own). */
    private void skipValue(int depth) throws CheckpointException {
        if (depth > MAX_DEPTH) {
            throw error("depth", "JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        skipSpace();
        int c = peek();
        if (c == '"') {
            string(0, null);
        } else if (c == '{' || c == '[') {
            next();
            int close = c == '{' ? '}' : ']';
            skipSpace();
            if (peek() == close) {
                next();
                return;
            }
            while (true) {
                if (c == '{') {
                    skipSpace();
                    string(0, null);
                    colon();
                }
                skipValue(depth + 1);
                skipSpace();
                int d = next();
                if (d == close) {
                    return;
                }
                if (d != ',') {
                    throw syntax("',' or '" + (char) close + "'", d);
                }
            }
        } else if (isNumberChar(c)) {
            while (isNumberChar(peek())) {
                next();
            }
        } else if (c == 't' || c == 'f' || c == 'n') {
            String word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            for (int i = 0; i < word.length(); i++) {
                if (next() != word.charAt(i)) {
                    throw error("json", "invalid literal at char " + (offset - 1));
                }
            }
        } else {
            throw syntax("a value", c);
        }
    }

    /**
     * A JSON string; at most {@code keep} chars are kept. Past that it is still read to its end, and
     * then returned as null, or is an error under {@code tooLongRule} when one is given.
     */
    private String string(int keep, String tooLongRule) throws CheckpointException {
        int c = next();
        if (c != '"') {
            throw syntax("a string", c);
        }
        StringBuilder s = new StringBuilder();
        long count = 0;
        while (true) {
            c = next();
            if (c == -1) {
                throw error("json", "header ends inside a string");
            }
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw error("json", "unescaped control character in a string at char " + (offset - 1));
            }
            if (c == '\\') {
                c = escape();
            }
            if (count++ < keep) {
                s.append((char) c);
            }
        }
        if (count > keep) {
            if (tooLongRule != null) {
                throw fail(file, tooLongRule, s.substring(0, Math.min(keep, 40)), "name is " + count
                        + " chars long; tensor names may have at most " + keep);
            }
            return null;
        }
        return s.toString();
    }

    private int escape() throws CheckpointException {
        int c = next();
        switch (c) {
            case '"': case '\\': case '/': return c;
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int h = Character.digit(next(), 16);
                    if (h < 0) {
                        throw error("json", "bad \\u escape at char " + (offset - 1));
                    }
                    v = v * 16 + h;
                }
                return v;
            default:
                throw error("json", "bad escape at char " + (offset - 1));
        }
    }

    private void colon() throws CheckpointException {
        skipSpace();
        int c = next();
        if (c != ':') {
            throw syntax("':'", c);
        }
    }

    private static boolean isNumberChar(int c) {
        return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    private void skipSpace() throws CheckpointException {
        int c;
        while ((c = peek()) == ' ' || c == '\n' || c == '\r' || c == '\t') {
            next();
        }
    }

    private CheckpointException syntax(String expected, int found) {
        return error("json", "expected " + expected + " at char " + (offset - 1) + ", found " + describe(found));
    }

    private CheckpointException error(String rule, String problem) {
        return fail(file, rule, tensor, problem);
    }

    private static String describe(int c) {
        if (c == -1) {
            return "the end of the header (it is cut off)";
        }
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("U+%04X", c);
    }

    private int peek() throws CheckpointException {
        if (pos == len) {
            fill();
        }
        return pos == len ? -1 : buf[pos];
    }

    private int next() throws CheckpointException {
        int c = peek();
        if (c != -1) {
            pos++;
            offset++;
        }
        return c;
    }

    private void fill() throws CheckpointException {
        try {
            int n = in.read(buf, 0, buf.length);
            pos = 0;
            len = Math.max(n, 0);
        } catch (CharacterCodingException e) {
            throw error("utf8", "header is not valid UTF-8 near char " + offset);
        } catch (IOException e) {
            throw new CheckpointException(file, CheckpointMessages.message("io", tensor, "reading the header failed: "
                    + e.getClass().getSimpleName()), e);
        }
    }
}
