package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tapgrad.processor.diag.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: for any model class the processor accepts, the generated code compiles. Systematic
 * mutants of every sample model (samples/src/main/java): every layer and loss method renamed to a
 * name with {@code $} or beyond ASCII (must compile), a member named like each member the generated
 * graph declares, as a method and as a field (each must be a ModelForm error on its own line),
 * static, final and private layer fields (ModelForm errors on their lines), static, final and
 * private loss methods and loss methods named like a pass (a Tapgrad error, or code that compiles).
 * No mutant may give [Tapgrad/Internal], a Tapgrad message without a known tag or position, or an
 * error inside generated code.
 */
class SampleMutantsTest {
    private static final int BATCH = 16;
    private static final Pattern LAYER = Pattern.compile("(?m)^(\\s*@Layer(?:\\([^)]*\\))?\\s+)(\\w+\\s+(\\w+);)");
    private static final Pattern LOSS = Pattern.compile("(?m)^(\\s*@(?:AuxLoss|Loss)\\b[^\\n]*\\n\\s*)(Tensor\\s+(\\w+)\\()");
    private static final Pattern TAP = Pattern.compile("\"(\\w+)\\.(\\w+)\"");
    private static final Set<String> TAGS = Arrays.stream(Tag.values()).map(Tag::id).collect(Collectors.toSet());
    private static final String[] PREFIXES = {"$", "ñ", "层", "_$"};

    /** What a mutant must give. */
    private enum Expect { COMPILES, MODEL_FORM_ON_LINES, TAPGRAD_ERROR_OR_COMPILES }

    private record Mutant(String id, String seed, String description, String pkg, String file, String source, Expect expect,
            List<Integer> lines) {}

    /** What javac said about one mutant. */
    private record Outcome(List<Diagnostic<? extends JavaFileObject>> diagnostics, boolean generated, boolean neighbourErrors) {
        long errors() {
            return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count();
        }
    }

    @Test
    void everyMutantOfEverySampleIsADiagnosticOrCompiles() {
        long start = System.nanoTime();
        Map<String, String> seeds = seeds();
        assertWithMessage("sample models").that(seeds.size()).isAtLeast(7);
        List<Mutant> mutants = new ArrayList<>();
        seeds.forEach((file, text) -> mutants.addAll(mutants(file, text, mutants.size())));
        // Those that must compile together, so no neighbour's error stops javac before their generated code.
        mutants.sort(java.util.Comparator.comparing(Mutant::expect));
        List<String> problems = new ArrayList<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < mutants.size(); i += BATCH) {
            List<Mutant> batch = mutants.subList(i, Math.min(mutants.size(), i + BATCH));
            Map<String, Outcome> together = compile(batch);
            for (Mutant m : batch) {
                Outcome o = together.get(m.id());
                // With an error anywhere javac stops after processing: compile alone what must compile.
                outcomes.put(m.id(), o.errors() == 0 && o.neighbourErrors() ? compile(List.of(m)).get(m.id()) : o);
            }
        }
        for (Mutant m : mutants) {
            List<String> mine = judge(m, outcomes.get(m.id()));
            if (!mine.isEmpty()) {
                problems.add(m.id() + " (" + m.seed() + ": " + m.description() + "):\n  " + String.join("\n  ", mine)
                        + "\n----- source -----\n" + m.source());
            }
        }
        System.out.printf(Locale.ROOT, "SampleMutantsTest: %d samples, %d mutants, %.1f s%n", seeds.size(), mutants.size(),
                (System.nanoTime() - start) / 1e9);
        assertWithMessage("mutants").that(mutants.size()).isAtLeast(60);
        assertWithMessage("%s of %s mutants broke the contract:\n%s", problems.size(), mutants.size(),
                String.join("\n\n", problems)).that(problems).isEmpty();
    }

    /**
     * The @CustomLayer classes beside each sample model (file name of the model → their sources): a
     * mutant is compiled with copies of them in its own package, since the model names them unqualified.
     */
    private static final Map<String, List<String>> COMPANIONS = new LinkedHashMap<>();

    /** The @Model classes of the samples, with constants of sibling classes inlined so each compiles alone. */
    private static Map<String, String> seeds() {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("../samples/src/main/java");
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.contains("\n@Model(")) {
                    out.put(f.getFileName().toString(), inlineConstants(text, f.getParent()));
                    COMPANIONS.put(f.getFileName().toString(), customLayersBeside(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> customLayersBeside(Path model) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(model.getParent())) {
            for (Path f : siblings.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.contains("\n@CustomLayer")) {
                    out.add(text);
                }
            }
        }
        return out;
    }

    private static String inlineConstants(String text, Path dir) throws IOException {
        Matcher m = Pattern.compile("\\b([A-Z]\\w+)\\.([A-Z_]+)\\b").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Path sibling = dir.resolve(m.group(1) + ".java");
            String value = m.group(0);
            if (Files.exists(sibling)) {
                Matcher c = Pattern.compile("static final int " + m.group(2) + " = (\\d+);").matcher(Files.readString(sibling));
                if (c.find()) {
                    value = c.group(1);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static List<Mutant> mutants(String file, String text, int first) {
        List<String> layers = names(LAYER, text);
        List<String> losses = names(LOSS, text);
        List<Mutant> out = new ArrayList<>();
        class Add {
            void add(String description, String source, Expect expect, List<Integer> lines) {
                String pkg = String.format("samples.m%03d", first + out.size());
                out.add(new Mutant(pkg.substring(8), file, description, pkg, file,
                        source.replaceFirst("(?m)^package [\\w.]+;", "package " + pkg + ";"), expect, lines));
            }
        }
        Add add = new Add();

        // Every layer and loss method renamed at once, to $ and non-ASCII names: a valid model.
        String renamed = text;
        for (int i = 0; i < layers.size(); i++) {
            renamed = renameIdentifier(renamed, layers.get(i), PREFIXES[i % PREFIXES.length] + layers.get(i));
        }
        for (String loss : losses) {
            renamed = renamed.replaceAll("\\bTensor\\s+" + loss + "\\(", Matcher.quoteReplacement("Tensor $" + loss + "ñ("));
        }
        add.add("every layer and loss renamed to $/unicode names", renamed, Expect.COMPILES, List.of());
        for (String prefix : PREFIXES) {
            String one = renameIdentifier(text, layers.get(layers.size() - 1), prefix + "层" + layers.get(layers.size() - 1));
            add.add("last layer renamed with prefix " + prefix, one, Expect.COMPILES, List.of());
        }

        // A member named like every member the generated graph declares, as a method, then as a field.
        List<String> generated = generatedNames(text, layers, losses);
        for (String kind : List.of("method", "field")) {
            StringBuilder members = new StringBuilder();
            List<Integer> lines = new ArrayList<>();
            int line = lineOf(text, text.lastIndexOf('}'));
            for (String name : generated) {
                members.append(kind.equals("method") ? "    void " + name + "() {}\n" : "    int " + name + ";\n");
                lines.add(line++);
            }
            String source = text.substring(0, text.lastIndexOf('}')) + members + "}\n";
            add.add("a " + kind + " named like each of " + generated.size() + " generated members", source,
                    Expect.MODEL_FORM_ON_LINES, lines);
        }
        add.add("a nested class Steps", text.substring(0, text.lastIndexOf('}')) + "    static class Steps {}\n}\n",
                Expect.MODEL_FORM_ON_LINES, List.of(lineOf(text, text.lastIndexOf('}'))));

        // Modifiers on layer fields: first static, middle final, last private.
        String[] modifiers = {"static", "final", "private"};
        for (int i = 0; i < modifiers.length; i++) {
            String layer = layers.get(i == 0 ? 0 : i == 1 ? layers.size() / 2 : layers.size() - 1);
            Matcher m = LAYER.matcher(text);
            while (m.find() && !m.group(3).equals(layer)) {
                // find the layer's declaration
            }
            String source = CorpusMutator.splice(text, m.start(2), m.start(2), modifiers[i] + " ");
            add.add(modifiers[i] + " layer field " + layer, source, Expect.MODEL_FORM_ON_LINES, List.of(lineOf(text, m.start(2))));
        }

        // Modifiers on loss methods, and loss methods named like the graph's own members.
        for (String loss : losses) {
            Matcher m = LOSS.matcher(text);
            while (m.find() && !m.group(3).equals(loss)) {
                // find the method's declaration
            }
            for (String modifier : modifiers) {
                add.add(modifier + " loss method " + loss, CorpusMutator.splice(text, m.start(2), m.start(2), modifier + " "),
                        Expect.TAPGRAD_ERROR_OR_COMPILES, List.of());
            }
            for (String clash : List.of("forward", "losses", "predict", "steps", "allocate")) {
                add.add("loss method " + loss + " renamed " + clash, CorpusMutator.splice(text, m.start(3), m.end(3), clash),
                        Expect.MODEL_FORM_ON_LINES, List.of(lineOf(text, m.start(3))));
            }
        }
        return out;
    }

    private static List<String> names(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(3));
        }
        return out;
    }

    /** The generated graph's member names, derived from the source as a user would read them off the docs. */
    private static List<String> generatedNames(String text, List<String> layers, List<String> losses) {
        Set<String> out = new LinkedHashSet<>(List.of("allocate", "forward", "backward", "losses", "fit", "evaluate", "predict",
                "gradients", "save", "load", "steps"));
        losses.forEach(l -> out.add(l + "WithGradient"));
        for (String l : layers) {
            out.addAll(List.of(l + "Out", l + "Grad", l + "Inputs", l + "InputGrads"));
        }
        Matcher tap = TAP.matcher(text);
        while (tap.find()) {
            if (layers.contains(tap.group(1))) {
                out.add(tap.group(1) + Character.toUpperCase(tap.group(2).charAt(0)) + tap.group(2).substring(1));
            }
        }
        return List.copyOf(out);
    }

    /** Renames an identifier everywhere it names the layer: as a word, in tap strings, not as a method call. */
    private static String renameIdentifier(String text, String from, String to) {
        return text.replaceAll("(?<![\\w$.])" + Pattern.quote(from) + "(?![\\w$]|\\s*\\()", Matcher.quoteReplacement(to));
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    private static List<String> judge(Mutant m, Outcome o) {
        List<String> problems = new ArrayList<>();
        String dir = "/" + m.pkg().replace('.', '/') + "/";
        for (Diagnostic<? extends JavaFileObject> d : o.diagnostics()) {
            String message = d.getMessage(Locale.ROOT);
            boolean ownFile = d.getSource() != null && path(d.getSource()).endsWith(dir + m.file());
            if (d.getKind() == Diagnostic.Kind.ERROR && !ownFile) {
                problems.add("an error outside the model's source (in generated code?): " + where(d) + message);
            }
            if (message.contains("[Tapgrad/")) {
                Matcher t = Pattern.compile("^\\[Tapgrad/(\\w+)\\] \\S").matcher(message);
                if (!t.find() || !TAGS.contains(t.group(1))) {
                    problems.add("a Tapgrad diagnostic without a known tag: " + message);
                } else if (t.group(1).equals(Tag.INTERNAL.id())) {
                    problems.add("internal error: " + message);
                }
                if (d.getSource() == null || d.getLineNumber() <= 0) {
                    problems.add("a Tapgrad diagnostic without a position: " + message);
                }
            }
        }
        switch (m.expect()) {
            case COMPILES -> {
                if (o.errors() > 0 || !o.generated()) {
                    problems.add("must compile and generate its graph: " + o.diagnostics().stream()
                            .map(d -> where(d) + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n  ")));
                }
            }
            case MODEL_FORM_ON_LINES -> {
                for (int line : m.lines()) {
                    boolean found = o.diagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR
                            && d.getLineNumber() == line && d.getMessage(Locale.ROOT).startsWith("[Tapgrad/ModelForm] "));
                    if (!found) {
                        problems.add("no [Tapgrad/ModelForm] error on line " + line + "; got: " + o.diagnostics().stream()
                                .map(d -> where(d) + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n  ")));
                    }
                }
            }
            case TAPGRAD_ERROR_OR_COMPILES -> {
                boolean tapgrad = o.diagnostics().stream().anyMatch(d -> d.getMessage(Locale.ROOT).startsWith("[Tapgrad/"));
                if (o.errors() > 0 && !tapgrad) {
                    problems.add("javac errors without a Tapgrad diagnostic: " + o.diagnostics().stream()
                            .map(d -> where(d) + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n  ")));
                }
                if (o.errors() == 0 && !o.generated()) {
                    problems.add("no error, but no graph was generated");
                }
            }
            default -> throw new AssertionError(m.expect());
        }
        return problems;
    }

    private static String where(Diagnostic<? extends JavaFileObject> d) {
        return (d.getSource() == null ? "" : path(d.getSource()) + ":" + d.getLineNumber() + ": ");
    }

    /** Compiles the mutants together and sorts the diagnostics to the mutant whose package they are in. */
    private static Map<String, Outcome> compile(List<Mutant> batch) {
        List<JavaFileObject> sources = new ArrayList<>();
        for (Mutant m : batch) {
            sources.add(JavaFileObjects.forSourceString(m.pkg() + "." + m.file().replace(".java", ""), m.source()));
            for (String companion : COMPANIONS.getOrDefault(m.seed(), List.of())) {
                Matcher type = Pattern.compile("(?m)^public (?:abstract )?class (\\w+)").matcher(companion);
                if (type.find()) {
                    sources.add(JavaFileObjects.forSourceString(m.pkg() + "." + type.group(1),
                            companion.replaceFirst("(?m)^package [\\w.]+;", "package " + m.pkg() + ";")));
                }
            }
        }
        JavaFileObject[] files = sources.toArray(JavaFileObject[]::new);
        // javac prints 100 errors at most by default; a batch here has several hundred, all wanted.
        Compilation c = Compiler.javac().withProcessors(new TapgradProcessor()).withOptions("-Xmaxerrs", "100000")
                .compile(files);
        List<String> generated = Compile.generatedSources(c);
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (Mutant m : batch) {
            String dir = "/" + m.pkg().replace('.', '/') + "/";
            List<Diagnostic<? extends JavaFileObject>> mine = c.diagnostics().stream()
                    .filter(d -> d.getSource() != null ? path(d.getSource()).contains(dir) : batch.size() == 1)
                    .collect(Collectors.toList());
            long errors = mine.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count();
            out.put(m.id(), new Outcome(mine, generated.stream().anyMatch(g -> ("/" + g).contains(dir)),
                    c.errors().size() > errors));
        }
        return out;
    }

    private static String path(JavaFileObject file) {
        String path = file.toUri().getPath();
        return path.startsWith("/") ? path : "/" + path;
    }
}
