package dev.tapgrad.processor;

import static dev.tapgrad.processor.CorpusMutator.pick;
import static dev.tapgrad.processor.CorpusMutator.splice;

import dev.tapgrad.processor.CorpusMutator.MethodSpan;
import dev.tapgrad.processor.CorpusMutator.Span;
import dev.tapgrad.processor.CorpusMutator.Texts;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mistakes {@link CorpusMutator} makes in declarations: taps, layer names, attributes, the
 * {@code @Model} annotation, weights, layer order and types, modifiers, the class's structure, and
 * plain garbage; {@link MethodMutations} has those in loss methods. Each edit returns null where
 * the source has nothing it can change.
 */
final class Mutations {
    private Mutations() {}

    static final String[] OPS = {"abs", "square", "neg", "exp", "log", "sqrt", "mean", "sum", "softmax", "logSoftmax",
        "transpose", "matmul", "add", "sub", "mul", "div", "scale", "l2Normalize", "klDivergence", "cosineSimilarity",
        "reshape", "expandDims", "max", "min", "clip", "pow", "mse", "categoricalCrossentropy"};
    /** Names that generated code or Java itself also uses. */
    private static final String[] CLASHING = {"x", "y", "seed", "loss", "fit", "predict", "gradients", "save", "load",
        "evaluate", "batch", "steps", "parameters", "forward", "backward", "TARGET", "offset", "dev", "java", "Tensor",
        "Dense", "out_", "$l", "input", "labels", "g", "grad"};
    static final String LAYERS = "dev.tapgrad.runtime.layers.";
    private static final Pattern MODEL_CLASS = Pattern.compile("(?m)^((?:\\w+ )*)(class|interface) (\\w+)");
    private static final Pattern MODEL = Pattern.compile("@Model\\(([^)]*)\\)");
    private static final Pattern WEIGHT = Pattern.compile("weight\\s*=\\s*([^,)]+)");
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)\\s*=\\s*(\\{[^}]*\\}|[^,{}]+)");
    private static final Pattern CONSTANT = Pattern.compile("(?m)^\\s+((?:static |final |private )*)(Tensor|double) (\\w+) =");
    static final Pattern LOCAL = Pattern.compile("(?m)^\\s*Tensor \\w+ = [^;]+;\\s*$\\n?");
    static final Pattern PARAM = Pattern.compile("(?:@[\\w.]+\\(\"[^\"]*\"\\)\\s*)?([\\w.\\[\\]]+)\\s+(\\w+)");

    static void register(CorpusMutator g) {
        g.add("rename tap", Mutations::renameTap);
        g.add("rename layer", Mutations::renameLayer);
        g.add("rename input", Mutations::renameInput);
        g.add("rename identifier", MethodMutations::renameIdentifier);
        g.add("rename parameter", MethodMutations::renameParameter);
        g.add("rename call", MethodMutations::renameCall);
        g.add("change call arity", MethodMutations::changeArity);
        g.add("rename class", Mutations::renameClass);
        g.add("change attribute", Mutations::changeAttribute);
        g.add("drop attribute", Mutations::dropAttribute);
        g.add("add attribute", Mutations::addAttribute);
        g.add("change @Model", Mutations::changeModel);
        g.add("change weight", Mutations::changeWeight);
        g.add("change annotation", Mutations::changeAnnotation);
        g.add("swap layers", Mutations::swapLayers);
        g.add("add layer", Mutations::addLayer);
        g.add("remove layer", Mutations::removeLayer);
        g.add("change field type", Mutations::changeFieldType);
        g.add("change constant", Mutations::changeConstant);
        g.add("class modifiers", Mutations::classModifiers);
        g.add("field modifiers", Mutations::fieldModifiers);
        g.add("method modifiers", MethodMutations::methodModifiers);
        g.add("change parameters", MethodMutations::changeParameters);
        g.add("change return type", MethodMutations::changeReturnType);
        g.add("replace return", MethodMutations::replaceReturn);
        g.add("replace return", MethodMutations::replaceReturn); // bodies are where most mistakes are
        g.add("delete statement", MethodMutations::deleteStatement);
        g.add("recursion", MethodMutations::recursion);
        g.add("bad shapes", MethodMutations::badShapes);
        g.add("bad shapes", MethodMutations::badShapes);
        g.add("bad int literal", MethodMutations::badIntLiteral);
        g.add("class structure", Mutations::classStructure);
        g.add("garbage", Mutations::garbage);
        g.add("garbage", Mutations::garbage);
    }

    static String typo(Random rnd, String w) {
        if (w.length() < 2) {
            return w + "x";
        }
        int i = rnd.nextInt(w.length() - 1);
        return switch (rnd.nextInt(5)) {
            case 0 -> w.substring(0, i) + w.substring(i + 1);
            case 1 -> w.substring(0, i) + w.charAt(i) + w.substring(i);
            case 2 -> w.substring(0, i) + w.charAt(i + 1) + w.charAt(i) + w.substring(i + 2);
            case 3 -> w.substring(0, i) + "x" + w.substring(i + 1);
            default -> w + (1 + rnd.nextInt(3));
        };
    }

    static String replaceSpan(String src, Span s, String with) {
        return s == null ? null : splice(src, s.start(), s.end(), with);
    }

    // ---- names --------------------------------------------------------------------------------

    static String renameTap(String src, Random rnd, Texts t) {
        Span s = pick(rnd, t.taps());
        if (s == null) {
            return null;
        }
        String other = pick(rnd, t.layerNames());
        return replaceSpan(src, s, pick(rnd, typo(rnd, s.text()), other, other + "." + pick(rnd, "kernel", "bias",
                "recurrent_kernel", "gamma"), "", s.text() + ".", "." + s.text(), "input", "labels", s.text().toUpperCase(),
                s.text() + ".kernel.bias", " " + s.text(), typo(rnd, s.text()) + ".kernel"));
    }

    static String renameLayer(String src, Random rnd, Texts t) {
        Matcher m = pick(rnd, t.layers());
        if (m == null) {
            return null;
        }
        String name = pick(rnd, typo(rnd, m.group(4)), pick(rnd, t.layerNames()), pick(rnd, CLASHING));
        return splice(src, m.start(4), m.end(4), name);
    }

    static String renameInput(String src, Random rnd, Texts t) {
        Span s = pick(rnd, t.inputs());
        if (s == null) {
            return null;
        }
        String self = t.layers().stream().filter(m -> m.start() <= s.start() && s.end() <= m.end())
                .map(m -> m.group(4)).findFirst().orElse("x");
        List<String> names = t.layerNames();
        return replaceSpan(src, s, pick(rnd, typo(rnd, s.text()), self, names.get(names.size() - 1),
                pick(rnd, names), "input", "", "Input", s.text() + ".kernel"));
    }

    static String renameClass(String src, Random rnd, Texts t) {
        Matcher m = MODEL_CLASS.matcher(src);
        if (!m.find(Math.max(0, src.indexOf("@Model")))) {
            return null;
        }
        return splice(src, m.start(3), m.end(3), pick(rnd, typo(rnd, m.group(3)), "Tensor", "Dense", "Model", "Layer",
                "Ops", m.group(3).toLowerCase(), "Graph", "String", "Object", m.group(3) + "Graph", "Steps"));
    }

    // ---- attributes ---------------------------------------------------------------------------

    static String changeAttribute(String src, Random rnd, Texts t) {
        Matcher layer = pick(rnd, t.layers().stream().filter(m -> m.group(1) != null && !m.group(1).isBlank()).toList());
        if (layer == null) {
            return null;
        }
        List<Span> values = t.all(ATTRIBUTE, 2, layer.start(1), layer.end(1));
        List<Span> names = t.all(ATTRIBUTE, 1, layer.start(1), layer.end(1));
        int i = rnd.nextInt(values.size());
        String other = pick(rnd, t.layerNames());
        String value = switch (names.get(i).text()) {
            case "units", "filters" -> pick(rnd, "0", "-1", "1", "3", "100000", "2147483647", "-2147483648", "\"3\"", "1.5",
                    "{}", "{2, 3}", "HALF", "'a'", "true", "Integer.MAX_VALUE", "1 << 20", "null");
            case "kernel", "strides" -> pick(rnd, "0", "-1", "{}", "{0, 2}", "{1, 2, 3}", "100", "{3, 100}", "2147483647",
                    "\"3\"", "{2, -2}", "1.0", "{65536, 65536}", "null");
            case "padding" -> pick(rnd, "SAME", "VALID", "RELU", "Padding.SAME", "null", "\"SAME\"", "MSE",
                    "dev.tapgrad.Padding.VALID", "dev.tapgrad.Activation.RELU");
            case "activation" -> pick(rnd, "SOFTMAX", "RELU", "TANH", "LINEAR", "SAME", "VALID", "ACCURACY", "MSE", "null",
                    "\"RELU\"", "dev.tapgrad.Activation.GELU", "dev.tapgrad.Padding.SAME", "dev.tapgrad.LossKind.MSE", "0");
            case "returnSequences" -> pick(rnd, "true", "false", "1", "\"true\"", "null", "!true");
            default -> pick(rnd, "{}", "\"" + other + "\"", "{\"input\"}", "{\"input\", \"input\"}", "{\"" + other + "\"}",
                    "null", "{1}", "{\"" + String.join("\", \"", t.layerNames()) + "\"}", "{\"input\", \"" + other + "\"}");
        };
        return replaceSpan(src, values.get(i), value);
    }

    static String dropAttribute(String src, Random rnd, Texts t) {
        Matcher layer = pick(rnd, t.layers().stream().filter(m -> m.group(1) != null && !m.group(1).isBlank()).toList());
        if (layer == null) {
            return null;
        }
        List<Span> attrs = t.all(ATTRIBUTE, 0, layer.start(1), layer.end(1));
        Span a = pick(rnd, attrs);
        if (attrs.size() == 1) {
            return rnd.nextBoolean() ? splice(src, layer.start(1) - 1, layer.end(1) + 1, "") : replaceSpan(src, a, "");
        }
        int end = a.end();
        while (end < src.length() && (src.charAt(end) == ',' || src.charAt(end) == ' ')) {
            end++;
        }
        return splice(src, a.start(), end, "");
    }

    static String addAttribute(String src, Random rnd, Texts t) {
        Matcher layer = pick(rnd, t.layers());
        if (layer == null) {
            return null;
        }
        String other = pick(rnd, t.layerNames());
        String attr = pick(rnd, "units = 3", "units = 0", "filters = 2", "kernel = 2", "kernel = {2, 9}", "strides = 0",
                "strides = {1, 2, 3}", "padding = dev.tapgrad.Padding.SAME", "returnSequences = true",
                "activation = dev.tapgrad.Activation.SOFTMAX", "activation = dev.tapgrad.Activation.RELU",
                "inputs = {\"" + other + "\"}", "inputs = {\"input\"}", "inputs = {\"" + layer.group(4) + "\"}",
                "rate = 0.5", "units = 2, units = 3", "inputs = {\"input\", \"" + other + "\"}", "kernel = 3, strides = 2");
        if (layer.group(1) == null) {
            return splice(src, layer.start() + "@Layer".length(), layer.start() + "@Layer".length(), "(" + attr + ")");
        }
        return splice(src, layer.start(1), layer.start(1), attr + (layer.group(1).isBlank() ? "" : ", "));
    }

    static String changeModel(String src, Random rnd, Texts t) {
        Matcher m = MODEL.matcher(src);
        if (!m.find()) {
            return null;
        }
        String args = m.group(1);
        String input = pick(rnd, "{}", "{0}", "{-3}", "{28, 28}", "{6, 6, 2, 1}", "{1}", "{100000, 100000}", "{1, 1, 1}",
                "{3, 3, 1}", "{100, 1}", "{2147483647, 2}", "{\"6\"}", "6", "{6, 0}");
        String edited = switch (rnd.nextInt(6)) {
            case 0, 1 -> args.replaceFirst("input = \\{[^}]*\\}", "input = " + input.replace("$", "\\$"));
            case 2 -> args.replaceFirst("input = \\{[^}]*\\},? ?", "");
            case 3 -> args.replaceFirst(",? ?loss = [\\w.]+", "");
            case 4 -> args + pick(rnd, ", loss = dev.tapgrad.LossKind.MSE", ", loss = dev.tapgrad.LossKind.CATEGORICAL_CROSSENTROPY",
                    ", loss = dev.tapgrad.LossKind.NONE", ", metrics = dev.tapgrad.Metric.ACCURACY", ", metrics = {}",
                    ", loss = dev.tapgrad.Activation.RELU", ", metrics = dev.tapgrad.LossKind.MSE");
            default -> args.replaceFirst("loss = [\\w.]+", "loss = " + pick(rnd, "MSE", "CATEGORICAL_CROSSENTROPY", "NONE",
                    "RELU", "null", "ACCURACY", "dev.tapgrad.LossKind.MSE"));
        };
        return splice(src, m.start(1), m.end(1), edited);
    }

    static String changeWeight(String src, Random rnd, Texts t) {
        Span w = pick(rnd, t.all(WEIGHT, 1));
        if (w == null) {
            return null;
        }
        return replaceSpan(src, w, pick(rnd, "0", "-0.5", "Double.NaN", "0.0", "Double.POSITIVE_INFINITY", "1e400",
                "\"x\"", "1", "Float.NaN", "0x1p-1074", "-0.0", "1e308 * 10", "Double.MIN_VALUE", "HALF", "null", "1 / 0"));
    }

    static String changeAnnotation(String src, Random rnd, Texts t) {
        String layer = pick(rnd, t.layerNames());
        MethodSpan m = pick(rnd, t.methods());
        int paramsAt = m == null ? -1 : m.paramsStart();
        int end = src.lastIndexOf('}');
        if (end < 0) {
            return null; // a truncated source: nothing to append to
        }
        return switch (rnd.nextInt(11)) {
            case 0 -> src.replaceFirst("@AuxLoss\\([^)]*\\)", "@dev.tapgrad.Loss");
            case 1 -> src.contains("@Loss") ? src.replaceFirst("@Loss\\b", "@AuxLoss(tap = \"" + layer + "\")") : null;
            case 2 -> src.replaceFirst("@AuxLoss\\([^)]*\\)\\s*", "");
            case 3 -> paramsAt < 0 ? null : splice(src, paramsAt, paramsAt, "@dev.tapgrad.Tap(\"" + layer + "\") ");
            case 4 -> src.replaceFirst("@Tap\\(\"[^\"]*\"\\)\\s*", "");
            case 5 -> src.replaceFirst("tap = [^,)]+", pick(rnd, "tap = {}", "tap = {\"" + layer + "\", \"" + layer + "\"}"));
            case 6 -> src.replaceFirst("@Layer", "@Layer @dev.tapgrad.Layer");
            case 7 -> m == null ? null : splice(src, m.modifiers(), m.modifiers(), pick(rnd, "@dev.tapgrad.Layer ",
                    "@dev.tapgrad.Model(input = {4}) ", "@dev.tapgrad.AuxLoss(tap = \"" + layer + "\") "));
            case 8 -> src.replaceFirst("@Layer", "@dev.tapgrad.AuxLoss(tap = \"" + layer + "\") @Layer");
            case 9 -> splice(src, end, end, pick(rnd,
                    "    @dev.tapgrad.Loss dev.tapgrad.runtime.Tensor loss2(dev.tapgrad.runtime.Tensor a, dev.tapgrad.runtime.Tensor b)"
                            + " { return dev.tapgrad.runtime.Ops.mse(a, b); }\n",
                    "    @dev.tapgrad.Loss dev.tapgrad.runtime.Tensor only(dev.tapgrad.runtime.Tensor a)"
                            + " { return dev.tapgrad.runtime.Ops.mean(a); }\n"));
            default -> splice(src, end, end, "    @dev.tapgrad.AuxLoss(tap = \"" + layer + "\") dev.tapgrad.runtime.Tensor extra("
                    + "dev.tapgrad.runtime.Tensor a) { return dev.tapgrad.runtime.Ops." + pick(rnd, "mean(a)", "abs(a)",
                    "sum(dev.tapgrad.runtime.Ops.transpose(a))", "mean(dev.tapgrad.runtime.Ops.matmul(a, a))") + "; }\n");
        };
    }

    // ---- structure ----------------------------------------------------------------------------

    static String swapLayers(String src, Random rnd, Texts t) {
        List<Matcher> layers = t.layers();
        if (layers.size() < 2) {
            return null;
        }
        int i = rnd.nextInt(layers.size() - 1);
        int j = i + 1 + rnd.nextInt(layers.size() - 1 - i);
        Matcher a = layers.get(i);
        Matcher b = layers.get(j);
        return src.substring(0, a.start()) + b.group() + src.substring(a.end(), b.start()) + a.group() + src.substring(b.end());
    }

    static String addLayer(String src, Random rnd, Texts t) {
        List<Matcher> layers = t.layers();
        if (layers.isEmpty()) {
            return null;
        }
        Matcher at = pick(rnd, layers);
        String a = pick(rnd, t.layerNames());
        String b = pick(rnd, t.layerNames());
        String line = pick(rnd, "@Layer " + LAYERS + "Flatten f2;", "@Layer(units = 4) " + LAYERS + "Dense d2;",
                "@Layer(inputs = {\"" + a + "\", \"" + b + "\"}) " + LAYERS + "Add s2;",
                "@Layer(inputs = {\"" + a + "\", \"input\"}) " + LAYERS + "Concatenate c2;",
                "@Layer(inputs = {\"input\", \"input\"}) " + LAYERS + "Concatenate c2;",
                "@Layer(units = 3, returnSequences = true) " + LAYERS + "Lstm l2;", "@Layer(units = 3) " + LAYERS + "Lstm l2;",
                "@Layer(filters = 2, kernel = 1) " + LAYERS + "Conv2D c3;",
                "@Layer(inputs = {\"" + a + "\"}, units = 2) " + LAYERS + "Dense d3;");
        int pos = rnd.nextBoolean() ? at.start() : at.end();
        return splice(src, pos, pos, rnd.nextBoolean() ? line + "\n    " : "\n    " + line);
    }

    static String removeLayer(String src, Random rnd, Texts t) {
        Matcher m = pick(rnd, t.layers());
        return m == null ? null : splice(src, m.start(), m.end(), "");
    }

    static String changeFieldType(String src, Random rnd, Texts t) {
        Matcher m = pick(rnd, t.layers());
        if (m == null) {
            return null;
        }
        String kind = pick(rnd, "Dense", "Conv2D", "Flatten", "Lstm", "Add", "Concatenate");
        return splice(src, m.start(3), m.end(3), pick(rnd, LAYERS + kind, LAYERS + kind, kind, "String",
                "dev.tapgrad.runtime.Tensor", "int", "Object", m.group(3) + "[]", "java.util.List<" + m.group(3) + ">",
                "UnknownLayer", "java.util.Random", LAYERS + "AbstractLayer", LAYERS + "LstmState", LAYERS + "Orthogonal",
                "dev.tapgrad.Layer", "var"));
    }

    static String changeConstant(String src, Random rnd, Texts t) {
        List<Span> types = t.all(CONSTANT, 2);
        if (types.isEmpty()) {
            return null;
        }
        int i = rnd.nextInt(types.size());
        Span mods = t.all(CONSTANT, 1).get(i);
        return rnd.nextBoolean()
                ? replaceSpan(src, types.get(i), pick(rnd, "double", "int", "String", "Tensor[]", "float", "Object",
                        "java.util.function.Supplier<Tensor>", "Tensor"))
                : replaceSpan(src, mods, pick(rnd, "", "static ", "final ", "private static final ", "private final ",
                        "public static final ", "static volatile "));
    }

    static String classModifiers(String src, Random rnd, Texts t) {
        Matcher m = MODEL_CLASS.matcher(src);
        if (!m.find(Math.max(0, src.indexOf("@Model")))) {
            return null;
        }
        String mods = m.group(1);
        String edited = switch (rnd.nextInt(4)) {
            case 0 -> pick(rnd, "private ", "final ", "static ", "public ", "strictfp ", "sealed ") + mods;
            case 1 -> mods.replace("abstract ", "");
            case 2 -> mods.replace("abstract ", "final ");
            default -> null;
        };
        if (edited == null) {
            return splice(src, m.start(2), m.end(2), pick(rnd, "interface", "enum", "@interface", "record"));
        }
        return splice(src, m.start(1), m.end(1), edited);
    }

    static String fieldModifiers(String src, Random rnd, Texts t) {
        Matcher m = pick(rnd, t.layers());
        if (m == null) {
            return null;
        }
        return splice(src, m.start(3), m.start(3), pick(rnd, "private ", "final ", "static ", "public ", "protected ",
                "transient ", "volatile ", "private final ", "static final "));
    }

    static String classStructure(String src, Random rnd, Texts t) {
        Matcher m = MODEL_CLASS.matcher(src);
        int at = src.indexOf("@Model");
        if (at < 0 || !m.find(at)) {
            return null;
        }
        String name = m.group(3);
        int end = src.lastIndexOf('}');
        if (end < 0) {
            return null; // a truncated source: nothing to append to
        }
        int header = src.indexOf('{', m.end());
        return switch (rnd.nextInt(5)) {
            case 0 -> splice(splice(src, end + 1, end + 1, "\n}\n"), at, at,
                    pick(rnd, "class Outer {\n", "public class Outer {\n", "interface Outer {\n") + pick(rnd, "", "static "));
            case 1 -> splice(src, end, end, "    " + pick(rnd, name + "(int a) { }", "private " + name + "() { }",
                    name + "() throws Exception { }", name + "() { this(1); }\n    " + name + "(int a) { }",
                    "public " + name + "(String... names) { }", "abstract void backward();", "abstract Tensor predict(Tensor x);",
                    "void fit() { }", "static void steps() { }", "abstract int batch();") + "\n");
            case 2 -> splice(src, m.end(3), m.end(3), pick(rnd, " extends Object", " extends dev.tapgrad.runtime.Tensor",
                    " implements Runnable", " extends java.util.AbstractList<String>", " extends Thread", "<T>",
                    "<T extends Number>", " extends " + name, " implements Comparable<" + name + ">"));
            case 3 -> src + pick(rnd, "\nclass " + name + "Graph { }\n", "\n@dev.tapgrad.Model(input = {3}) abstract class Extra { }\n",
                    "\nabstract class Base { abstract void run(); }\n", "\nclass Steps { }\n");
            default -> header < 0 ? null : splice(src, header + 1, header + 1, pick(rnd, "\n    { }", "\n    static { }",
                    "\n    class Inner { }", "\n    int seed;", "\n    Tensor x;", "\n    static int batch;"));
        };
    }

    // ---- garbage ------------------------------------------------------------------------------

    static String garbage(String src, Random rnd, Texts t) {
        int from = src.indexOf('\n') + 1; // keep the package line: the variant's package keeps it apart
        int at = from + rnd.nextInt(src.length() - from);
        String[] lines = src.substring(from).split("\n", -1);
        return switch (rnd.nextInt(6)) {
            case 0, 1 -> splice(src, at, at, pick(rnd, "{", "}", "(", ")", ";", ",", "@", "\"", "'", "=", "@Layer", "@AuxLoss(tap = \"x\")",
                    "abstract", "class", "return", "Tensor", "0", "..", "/*", "*/", "//", "#", "\\", "\u0000", "\u00e9", "<T>",
                    "@Model", " static ", "->", "::", "@Tap(\"a\")", "\"\"\"", "enum", "var", "\t", "@interface"));
            case 2 -> splice(src, at, Math.min(src.length(), at + 1 + rnd.nextInt(12)), "");
            case 3 -> {
                String line = pick(rnd, lines);
                int l = src.indexOf(line, from);
                yield splice(src, l, l, line + "\n");
            }
            case 4 -> src.substring(0, at);
            default -> {
                String a = pick(rnd, lines);
                String b = pick(rnd, lines);
                int ia = src.indexOf(a, from);
                int ib = src.indexOf(b, from);
                if (a.equals(b) || ia < 0 || ib < 0) {
                    yield null;
                }
                yield ia < ib ? src.substring(0, ia) + b + src.substring(ia + a.length(), ib) + a + src.substring(ib + b.length())
                        : src.substring(0, ib) + a + src.substring(ib + b.length(), ia) + b + src.substring(ia + a.length());
            }
        };
    }
}
