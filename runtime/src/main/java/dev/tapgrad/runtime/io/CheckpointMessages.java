package dev.tapgrad.runtime.io;

/**
 * How checkpoint errors read: the tensor, the problem, and the rule's short id in brackets
 * ({@code tensor 'dense.bias': data_offsets [0, 8] overlap ... [overlap]}), with names from the file
 * shortened and escaped so a hostile file cannot flood a log or forge lines in it.
 */
final class CheckpointMessages {
    /** Longest name printed whole; longer ones are cut, with their length said. */
    private static final int SHOWN = 80;

    private CheckpointMessages() {}

    static String message(String rule, String tensor, String problem) {
        return (tensor == null ? "" : "tensor " + show(tensor) + ": ") + problem + " [" + rule + "]";
    }

    /** A name from the file, quoted, with control and non-ASCII-printable chars escaped, at most ~80 chars. */
    static String show(String name) {
        return "'" + bare(name) + "'" + (name.length() > SHOWN ? "... (" + name.length() + " chars)" : "");
    }

    /** {@link #show} without the quotes and the length note: the name's first ~80 chars, escaped. */
    static String bare(String name) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(name.length(), SHOWN);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || Character.getType(c) == Character.FORMAT) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** A shape as (d0, d1, ...); shapes have at most {@link SafetensorsHeader#MAX_RANK} dimensions. */
    static String shape(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }
}
