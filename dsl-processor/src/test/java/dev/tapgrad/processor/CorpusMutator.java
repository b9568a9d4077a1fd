package dev.tapgrad.processor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of valid model sources, for {@link MutationCorpusTest}. Each mutation is a
 * textual edit of the kind a user makes by mistake (a renamed tap, a dropped attribute, a loop in a
 * loss body, a stray brace); it works on the seeds' regular layout (one annotation and one
 * declaration per line) and returns null where it does not apply. The same seed gives the same
 * variants on every run.
 */
final class CorpusMutator {
    /** One malformed (or, for a seed, valid) source: its package is unique, so variants compile together. */
    record Variant(String id, String seed, String description, String packageName, String fileName, String source) {
        /** The path compile-testing gives the file. */
        String path() {
            return packageName.replace('.', '/') + "/" + fileName;
        }
    }

    /** A named edit; returns the edited source, or null where it does not apply. */
    private record Mutation(String name, Edit edit) {}

    @FunctionalInterface
    interface Edit {
        String apply(String source, Random rnd, Texts t);
    }

    private final Random rnd;
    private final List<Mutation> mutations = new ArrayList<>();

    CorpusMutator(long seed) {
        this.rnd = new Random(seed);
        Mutations.register(this);
    }

    void add(String name, Edit edit) {
        mutations.add(new Mutation(name, edit));
    }

    /** The seeds unchanged, each in its own package. */
    List<Variant> seeds(Map<String, String> seeds) {
        List<Variant> out = new ArrayList<>();
        seeds.forEach((file, text) -> {
            String pkg = "corpus.seed" + out.size();
            out.add(new Variant("seed" + out.size(), file, "unmodified", pkg, file, withPackage(text, pkg)));
        });
        return out;
    }

    /**
     * {@code count} distinct variants, taking the seeds in turn and applying one mutation, or two
     * for about a third of them.
     */
    List<Variant> variants(Map<String, String> seeds, int count) {
        List<String> files = new ArrayList<>(seeds.keySet());
        List<Variant> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int attempts = 0;
        while (out.size() < count && attempts++ < count * 50) {
            String file = files.get(out.size() % files.size());
            String pkg = String.format("corpus.v%03d", out.size());
            String source = withPackage(seeds.get(file), pkg);
            List<String> applied = new ArrayList<>();
            int edits = rnd.nextInt(3) == 0 ? 2 : 1;
            for (int tries = 0; applied.size() < edits && tries < 40; tries++) {
                Mutation m = mutations.get(rnd.nextInt(mutations.size()));
                String next;
                try {
                    next = m.edit().apply(source, rnd, new Texts(source));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("mutation " + m.name() + " failed on " + file, e);
                }
                if (next != null && !next.equals(source)) {
                    source = next;
                    applied.add(m.name());
                }
            }
            if (applied.isEmpty() || !seen.add(source.replace(pkg, "corpus.v"))) {
                continue;
            }
            String id = pkg.substring(pkg.lastIndexOf('.') + 1);
            out.add(new Variant(id, file, String.join(" + ", applied), pkg, file, source));
        }
        return out;
    }

    private static String withPackage(String text, String pkg) {
        return text.replaceFirst("(?m)^package [\\w.]+;", "package " + pkg + ";");
    }

    static <T> T pick(Random rnd, List<T> options) {
        return options.isEmpty() ? null : options.get(rnd.nextInt(options.size()));
    }

    @SafeVarargs
    static <T> T pick(Random rnd, T... options) {
        return options[rnd.nextInt(options.length)];
    }

    static String splice(String s, int start, int end, String with) {
        return s.substring(0, start) + with + s.substring(end);
    }

    /** A match's group by index, as a span of the source. */
    record Span(int start, int end, String text) {
        static Span of(Matcher m, int group) {
            return new Span(m.start(group), m.end(group), m.group(group));
        }
    }

    /** Finds the parts of a seed-shaped source that mutations edit. */
    static final class Texts {
        static final Pattern LAYER = Pattern.compile("@Layer(?:\\(([^)\\n]*)\\))?(\\s+)([\\w.\\[\\]<>]+)\\s+(\\w+);");
        static final Pattern STRING = Pattern.compile("\"([^\"\\n]*)\"");
        static final Pattern METHOD = Pattern.compile(
                "(?m)^([ \\t]*)((?:(?:static|final|private|public|protected|abstract)\\s+)*)(Tensor)\\s+(\\w+)\\(");
        static final Pattern RETURN = Pattern.compile("return\\s+([^;]+);");
        static final Pattern IDENT = Pattern.compile("(?<![\\w.\"])([a-zA-Z_]\\w*)\\b(?!\\s*\\()");
        static final Pattern CALL = Pattern.compile("(?<![\\w.])([a-zA-Z_]\\w*)\\s*\\(");
        static final Pattern INT = Pattern.compile("(?<![\\w.])(-?\\d+)(?![\\w.])");
        static final Set<String> KEYWORDS = Set.of("return", "Tensor", "var", "new", "true", "false", "null", "this",
                "static", "final", "int", "double");

        final String src;

        Texts(String src) {
            this.src = src;
        }

        /** Every match of a group of {@code p}, optionally within [from, to). */
        List<Span> all(Pattern p, int group, int from, int to) {
            List<Span> out = new ArrayList<>();
            Matcher m = p.matcher(src).region(from, to);
            while (m.find()) {
                if (m.group(group) != null) {
                    out.add(Span.of(m, group));
                }
            }
            return out;
        }

        List<Span> all(Pattern p, int group) {
            return all(p, group, 0, src.length());
        }

        /** Layer declarations: group 1 attributes (may be null), 3 type, 4 name. */
        List<Matcher> layers() {
            List<Matcher> out = new ArrayList<>();
            Matcher m = LAYER.matcher(src);
            while (m.find()) {
                Matcher copy = LAYER.matcher(src);
                copy.find(m.start());
                out.add(copy);
            }
            return out;
        }

        List<String> layerNames() {
            return layers().stream().map(m -> m.group(4)).toList();
        }

        /** String literals whose line says they are taps ({@code tap =} or {@code @Tap(}). */
        List<Span> taps() {
            return all(STRING, 1).stream().filter(s -> lineBefore(s.start()).matches(".*(tap\\s*=|@Tap\\().*")).toList();
        }

        /** String literals in {@code inputs = {...}}. */
        List<Span> inputs() {
            return all(STRING, 1).stream().filter(s -> lineBefore(s.start()).contains("inputs")).toList();
        }

        String lineBefore(int pos) {
            return src.substring(src.lastIndexOf('\n', pos) + 1, pos);
        }

        /** Methods returning Tensor: their header and body spans. */
        List<MethodSpan> methods() {
            List<MethodSpan> out = new ArrayList<>();
            Matcher m = METHOD.matcher(src);
            while (m.find()) {
                int open = m.end() - 1;
                int close = matching(open, '(', ')');
                int brace = close < 0 ? -1 : src.indexOf('{', close);
                int semi = close < 0 ? -1 : src.indexOf(';', close);
                if (close < 0) {
                    continue;
                }
                boolean hasBody = brace >= 0 && (semi < 0 || brace < semi);
                int end = hasBody ? matching(brace, '{', '}') : -1;
                String before = src.substring(src.lastIndexOf('\n', Math.max(0, m.start() - 2)) + 1, m.start());
                out.add(new MethodSpan(m.group(4), m.start(2), m.start(3), open + 1, close,
                        hasBody ? brace + 1 : -1, end, before.contains("@AuxLoss") || before.contains("@Loss")));
            }
            return out;
        }

        List<MethodSpan> bodies() {
            return methods().stream().filter(MethodSpan::hasBody).toList();
        }

        int matching(int open, char o, char c) {
            int depth = 0;
            for (int i = open; i < src.length(); i++) {
                if (src.charAt(i) == o) {
                    depth++;
                } else if (src.charAt(i) == c && --depth == 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A method: where its modifiers, return type, parameters and body are. */
    record MethodSpan(String name, int modifiers, int type, int paramsStart, int paramsEnd, int bodyStart, int bodyEnd,
            boolean isLoss) {
        boolean hasBody() {
            return bodyStart > 0 && bodyEnd > bodyStart;
        }
    }
}
