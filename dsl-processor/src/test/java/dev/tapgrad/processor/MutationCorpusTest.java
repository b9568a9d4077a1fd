package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.sun.source.util.JavacTask;
import dev.tapgrad.processor.CorpusMutator.Variant;
import dev.tapgrad.processor.diag.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Robustness: valid models from {@code corpus/seeds/}, and a few hundred seeded mutations of them
 * ({@link CorpusMutator}), each compiled with the processor. Whatever the mistake, javac must not
 * crash, the processor must not fail internally, a model either compiles (and its generated code
 * too) or gets at least one error, and every Tapgrad diagnostic has a known tag and a position.
 *
 * <p>Variants are compiled a few per javac call, each in its own package, which keeps the test
 * fast; a variant whose own outcome looks wrong, or that a neighbour's error might have affected,
 * is compiled again alone before it counts. Variants with syntax errors (javac runs no processor
 * on them) are compiled alone.
 */
class MutationCorpusTest {
    private static final long SEED = 0x7A96_4AD5L;
    private static final int VARIANTS = 400;
    private static final int BATCH = 8;
    /**
     * The seeds: models other tests compile too are read from their one definition (the samples'
     * test models, good/), the others from corpus/seeds/.
     */
    private static final List<String> SEEDS = List.of("samples:dev/tapgrad/reference/StridedCnn.java",
            "samples:dev/tapgrad/semantics/MultiTapNet.java", "samples:dev/tapgrad/semantics/ResidualNet.java",
            "good/OpsInLossBodies.java", "corpus/seeds/PriorLstm.java", "corpus/seeds/HelperLossNet.java");
    private static final Set<String> TAGS = Arrays.stream(Tag.values()).map(Tag::id).collect(Collectors.toSet());
    private static final Pattern TAPGRAD = Pattern.compile("^\\[Tapgrad/(\\w+)\\] \\S");
    private static final String GENERATED_CODE_FAILS = "the generated code does not compile although the model had no error";
    /** What one compilation said about one variant. */
    private record Outcome(List<String> problems, int errors, boolean generated, boolean neighbourErrors) {}

    @Test
    void malformedModelsNeverCrashTheProcessorAndAlwaysGetAnAnswer() {
        long start = System.nanoTime();
        Map<String, String> seeds = new LinkedHashMap<>();
        SEEDS.forEach(path -> seeds.put(path.substring(path.lastIndexOf('/') + 1), seed(path)));
        CorpusMutator mutator = new CorpusMutator(SEED);
        List<Variant> originals = mutator.seeds(seeds);
        List<Variant> variants = mutator.variants(seeds, VARIANTS);
        assertThat(variants.size()).isAtLeast(200);

        List<Variant> all = new ArrayList<>(originals);
        all.addAll(variants);
        Set<String> syntaxErrors = syntaxErrors(all);
        List<String> problems = new ArrayList<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        List<Variant> pending = new ArrayList<>();
        for (Variant v : all) {
            if (syntaxErrors.contains(v.id())) {
                outcomes.put(v.id(), compile(List.of(v)).get(v.id()));
            } else {
                pending.add(v);
            }
        }
        for (int i = 0; i < pending.size(); i += BATCH) {
            List<Variant> batch = pending.subList(i, Math.min(pending.size(), i + BATCH));
            Map<String, Outcome> together = compile(batch);
            for (Variant v : batch) {
                Outcome o = together.get(v.id());
                if (!o.problems().isEmpty() || o.errors() == 0 && o.neighbourErrors()) {
                    o = compile(List.of(v)).get(v.id()); // alone, so no neighbour can have caused it
                }
                outcomes.put(v.id(), o);
            }
        }
        int compiled = 0;
        for (Variant v : all) {
            compiled += judge(v, outcomes.get(v.id()), problems);
        }
        for (Variant seed : originals) {
            Outcome o = outcomes.get(seed.id());
            assertWithMessage("seed %s must compile and generate its graph: %s", seed.seed(), o)
                    .that(o.errors() == 0 && o.generated()).isTrue();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "MutationCorpusTest: %d seeds + %d variants (%d with syntax errors), %d compiled,"
                + " %d rejected, %.1f s%n", originals.size(), variants.size(), syntaxErrors.size(), compiled,
                all.size() - compiled, seconds);
        assertWithMessage("%s of %s variants broke the processor's contract:\n%s", problems.size(), all.size(),
                String.join("\n\n", problems)).that(problems).isEmpty();
    }

    /** Adds the variant's problems to the list; 1 if it compiled, 0 if it was rejected. */
    private static int judge(Variant v, Outcome o, List<String> problems) {
        List<String> mine = new ArrayList<>(o.problems());
        if (o.errors() == 0 && !o.generated() && v.source().contains("@Model")) {
            mine.add("no error, but no Graph was generated either");
        }
        if (!mine.isEmpty()) {
            problems.add(v.id() + " (" + v.seed() + ": " + v.description() + "):\n  " + String.join("\n  ", mine)
                    + "\n----- source -----\n" + v.source());
        }
        return o.errors() == 0 ? 1 : 0;
    }

    /** Compiles the variants together and sorts the diagnostics to the variant they belong to. */
    private static Map<String, Outcome> compile(List<Variant> batch) {
        JavaFileObject[] files = batch.stream()
                .map(v -> JavaFileObjects.forSourceString(v.packageName() + "." + v.fileName().replace(".java", ""), v.source()))
                .toArray(JavaFileObject[]::new);
        Compilation c;
        try {
            c = Compiler.javac().withProcessors(new TapgradProcessor()).compile(files);
        } catch (RuntimeException | Error crash) {
            if (batch.size() > 1) {
                Map<String, Outcome> out = new LinkedHashMap<>();
                batch.forEach(v -> out.put(v.id(), compile(List.of(v)).get(v.id())));
                return out;
            }
            StringWriter trace = new StringWriter();
            crash.printStackTrace(new PrintWriter(trace));
            return Map.of(batch.get(0).id(), new Outcome(List.of("javac crashed: " + trace), 1, false, false));
        }
        List<String> generated = Compile.generatedSources(c);
        Map<String, Outcome> out = new LinkedHashMap<>();
        int allErrors = c.errors().size();
        for (Variant v : batch) {
            String dir = "/" + v.packageName().replace('.', '/') + "/";
            List<String> problems = new ArrayList<>();
            int errors = 0;
            int ownErrors = 0;
            for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
                String file = d.getSource() == null ? null : path(d.getSource());
                boolean ownFile = file != null && file.endsWith(dir + v.fileName());
                boolean mine = file != null && file.contains(dir) || batch.size() == 1;
                if (!mine) {
                    continue;
                }
                String message = d.getMessage(Locale.ROOT);
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors++;
                    ownErrors += ownFile ? 1 : 0;
                }
                problems.addAll(check(d, message));
            }
            boolean graph = generated.stream().anyMatch(g -> ("/" + g).contains(dir));
            if (errors > 0 && ownErrors == 0) {
                problems.add(GENERATED_CODE_FAILS + ":\n  "
                        + c.errors().stream().map(d -> d.getSource() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                                .collect(Collectors.joining("\n  ")));
            }
            out.put(v.id(), new Outcome(problems, errors, graph, allErrors > errors));
        }
        return out;
    }

    /** The contract for one diagnostic. */
    private static List<String> check(Diagnostic<? extends JavaFileObject> d, String message) {
        List<String> problems = new ArrayList<>();
        if (message.contains("An exception has occurred in the compiler")) {
            problems.add("javac crashed: " + message);
        }
        if (!message.contains("[Tapgrad/")) {
            return problems;
        }
        Matcher m = TAPGRAD.matcher(message);
        if (!m.find() || !TAGS.contains(m.group(1))) {
            problems.add("a Tapgrad diagnostic without a known tag: " + message);
        } else if (m.group(1).equals(Tag.INTERNAL.id())) {
            problems.add("internal error: " + message);
        }
        if (d.getSource() == null || d.getLineNumber() <= 0) {
            problems.add("a Tapgrad diagnostic without a position: " + message);
        }
        return problems;
    }

    /** Ids of the variants javac cannot even parse; one parse for all of them. */
    private static Set<String> syntaxErrors(List<Variant> variants) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> files = variants.stream()
                .map(v -> JavaFileObjects.forSourceString(v.packageName() + "." + v.fileName().replace(".java", ""), v.source()))
                .toList();
        JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler()
                .getTask(null, null, diagnostics, List.of("-proc:none"), null, files);
        try {
            task.parse();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Set<String> ids = new HashSet<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null) {
                String file = path(d.getSource());
                variants.stream().filter(v -> file.contains("/" + v.packageName().replace('.', '/') + "/"))
                        .forEach(v -> ids.add(v.id()));
            }
        }
        return ids;
    }

    /** The file's path with a leading slash, for a source as for a generated file. */
    private static String path(JavaFileObject file) {
        String path = file.toUri().getPath();
        return path.startsWith("/") ? path : "/" + path;
    }

    private static String seed(String path) {
        return path.startsWith("samples:")
                ? Compile.sharedModelText(path.substring("samples:".length()), "seeds")
                : resource(path);
    }

    private static String resource(String path) {
        try (InputStream in = MutationCorpusTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
