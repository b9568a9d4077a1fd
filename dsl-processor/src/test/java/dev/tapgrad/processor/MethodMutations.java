package dev.tapgrad.processor;

import static dev.tapgrad.processor.CorpusMutator.pick;
import static dev.tapgrad.processor.CorpusMutator.splice;
import static dev.tapgrad.processor.Mutations.LAYERS;
import static dev.tapgrad.processor.Mutations.LOCAL;
import static dev.tapgrad.processor.Mutations.OPS;
import static dev.tapgrad.processor.Mutations.PARAM;
import static dev.tapgrad.processor.Mutations.replaceSpan;
import static dev.tapgrad.processor.Mutations.typo;

import dev.tapgrad.processor.CorpusMutator.MethodSpan;
import dev.tapgrad.processor.CorpusMutator.Span;
import dev.tapgrad.processor.CorpusMutator.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The mistakes {@link CorpusMutator} makes in loss methods and helpers: their signatures and
 * modifiers, the names and calls in their bodies, statements Tapgrad cannot differentiate,
 * recursion, and shapes that do not fit. Registered by {@link Mutations}.
 */
final class MethodMutations {
    private MethodMutations() {}

    static String renameIdentifier(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        if (m == null) {
            return null;
        }
        List<Span> ids = t.all(Texts.IDENT, 1, m.bodyStart(), m.bodyEnd()).stream()
                .filter(s -> !Texts.KEYWORDS.contains(s.text())).toList();
        Span s = pick(rnd, ids);
        if (s == null) {
            return null;
        }
        return replaceSpan(src, s, pick(rnd, typo(rnd, s.text()), pick(rnd, ids).text(), pick(rnd, t.layerNames()),
                "this." + s.text(), "TARGET", "HALF", "offset", "yTrue", "null", "0", "0.5", s.text() + "[0]", "Tensor"));
    }

    static String renameParameter(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.methods().stream().filter(x -> x.paramsEnd() > x.paramsStart()).toList());
        if (m == null) {
            return null;
        }
        List<Span> params = t.all(PARAM, 2, m.paramsStart(), m.paramsEnd());
        Span p = pick(rnd, params);
        return replaceSpan(src, p, pick(rnd, typo(rnd, p.text()), pick(rnd, params).text(), pick(rnd, t.layerNames()),
                "input", "TARGET"));
    }

    static String renameCall(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        Span c = m == null ? null : pick(rnd, t.all(Texts.CALL, 1, m.bodyStart(), m.bodyEnd()));
        if (c == null) {
            return null;
        }
        String n = c.text();
        return replaceSpan(src, c, pick(rnd, typo(rnd, n), pick(rnd, OPS), pick(rnd, OPS), "Math." + n,
                "Ops." + n, "dev.tapgrad.runtime.Ops." + n, "dev.tapgrad.runtime.ops.Reductions." + n, "Tensor.scalar",
                "this." + n, "super." + n, "java.util.Objects.requireNonNull", "String.valueOf", "Ops.Inner." + n,
                "abs.mean", "Tensor", "new Tensor", m.name(), "dev.tapgrad.runtime.Tensor." + n));
    }

    static String changeArity(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        Span c = m == null ? null : pick(rnd, t.all(Texts.CALL, 1, m.bodyStart(), m.bodyEnd()));
        if (c == null || Texts.KEYWORDS.contains(c.text())) {
            return null;
        }
        int open = src.indexOf('(', c.end());
        int close = t.matching(open, '(', ')');
        String args = src.substring(open + 1, close);
        int lastComma = args.lastIndexOf(',');
        String dropped = lastComma < 0 ? "" : args.substring(0, lastComma);
        return splice(src, open + 1, close, pick(rnd, dropped, args + ", 1", args + ", " + args, args + ", true",
                args + ", 0.5, -1", args + ", (Tensor) null", args + ", " + pick(rnd, t.layerNames())));
    }

    static String methodModifiers(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.methods());
        if (m == null) {
            return null;
        }
        String mod = pick(rnd, "private ", "static ", "final ", "synchronized ", "public ", "protected ", "strictfp ",
                "native ", "abstract ", "default ", "-static", "private static ");
        if (mod.equals("-static")) {
            int s = src.indexOf("static ", m.modifiers());
            return s < 0 || s >= m.type() ? null : splice(src, s, s + "static ".length(), "");
        }
        String out = src;
        if ((mod.equals("native ") || mod.equals("abstract ")) && m.hasBody() && rnd.nextBoolean()) {
            out = splice(out, m.bodyStart() - 1, m.bodyEnd() + 1, ";");
        }
        return splice(out, m.modifiers(), m.modifiers(), mod);
    }

    static String changeParameters(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.methods());
        if (m == null) {
            return null;
        }
        String params = src.substring(m.paramsStart(), m.paramsEnd());
        List<Span> ps = t.all(PARAM, 0, m.paramsStart(), m.paramsEnd());
        switch (rnd.nextInt(3)) {
            case 0 -> {
                Span p = pick(rnd, ps);
                if (p == null) {
                    return null;
                }
                int start = p.start();
                int end = p.end();
                if (src.startsWith(", ", end)) {
                    end += 2;
                } else if (src.substring(m.paramsStart(), start).endsWith(", ")) {
                    start -= 2;
                }
                return splice(src, start, end, "");
            }
            case 1 -> {
                String extra = pick(rnd, "Tensor extra", "double d", "int n", "Tensor... rest", "Tensor[] all", "Object o",
                        "@dev.tapgrad.Tap(\"" + pick(rnd, t.layerNames()) + "\") Tensor tapped", "float[] f");
                return splice(src, m.paramsEnd(), m.paramsEnd(), params.isBlank() ? extra : ", " + extra);
            }
            default -> {
                List<Span> types = t.all(PARAM, 1, m.paramsStart(), m.paramsEnd());
                return replaceSpan(src, pick(rnd, types), pick(rnd, "double", "Object", "float[]", "Tensor[]",
                        LAYERS + "Dense", "int", "Tensor...", "java.util.List<Tensor>"));
            }
        }
    }

    static String changeReturnType(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.methods());
        if (m == null) {
            return null;
        }
        return splice(src, m.type(), m.type() + "Tensor".length(), pick(rnd, "double", "void", "Object", "float",
                "Tensor[]", "dev.tapgrad.runtime.Tensor", "java.util.List<Tensor>", "Number", "var"));
    }

    static String replaceReturn(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        if (m == null) {
            return null;
        }
        List<Span> returns = t.all(Texts.RETURN, 0, m.bodyStart(), m.bodyEnd());
        Span r = pick(rnd, returns);
        if (r == null) {
            return null;
        }
        String e = r.text().substring("return ".length(), r.text().length() - 1).strip();
        List<Span> params = t.all(PARAM, 2, m.paramsStart(), m.paramsEnd());
        String p = params.isEmpty() ? "x" : pick(rnd, params).text();
        String field = pick(rnd, t.layerNames());
        String with = pick(rnd,
                "for (int i = 0; i < 2; i++) { } return " + e + ";",
                "while (false) { } return " + e + ";",
                "if (" + p + " == null) { return " + e + "; } return " + e + ";",
                "this." + field + " = null; return " + e + ";",
                field + " = null; return " + e + ";",
                p + " = " + e + "; return " + p + ";",
                "return " + e + " + " + e + ";",
                "return -" + e + ";",
                "return " + e + " * 2;",
                "return " + p + " == null ? " + e + " : " + e + ";",
                "return (Tensor) " + e + ";",
                "return Tensor.scalar(1.0);",
                "return null;",
                "return 0;",
                "return;",
                "Tensor t; t = " + e + "; return t;",
                "int k = 3; return " + e + ";",
                "var v = " + e + "; return v;",
                e + "; return " + e + ";",
                "{ return " + e + "; }",
                "synchronized (this) { return " + e + "; }",
                "try { return " + e + "; } finally { }",
                "throw new IllegalStateException();",
                "return ((java.util.function.Supplier<Tensor>) () -> " + e + ").get();",
                "assert " + p + " != null; return " + e + ";",
                "switch (1) { default: } return " + e + ";",
                "class Local { } return " + e + ";",
                "return " + e + "; return " + e + ";",
                "; return " + e + ";",
                "return " + p + "++;",
                "return switch (1) { default -> " + e + "; };",
                "return " + p + ".shape().length > 0 ? " + e + " : " + e + ";",
                "return new Tensor[] {" + e + "}[0];",
                "return mean(" + p + ").toString() == null ? null : " + e + ";",
                "Tensor a = " + e + ", b = " + e + "; return add(a, b);",
                "Tensor same = " + e + "; Tensor same = " + e + "; return same;",
                "return " + e + " = " + e + ";",
                "label: return " + e + ";",
                "return scale(" + p + ".shape()[0], " + e + ");",
                "return scale(1 / 0, " + e + ");",
                "return scale(1 + 2 * 3, " + e + ");");
        return replaceSpan(src, r, with);
    }

    static String deleteStatement(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        if (m == null) {
            return null;
        }
        List<Span> statements = new ArrayList<>(t.all(Texts.RETURN, 0, m.bodyStart(), m.bodyEnd()));
        statements.addAll(t.all(LOCAL, 0, m.bodyStart(), m.bodyEnd()));
        return replaceSpan(src, pick(rnd, statements), "");
    }

    static String recursion(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        if (m == null) {
            return null;
        }
        Span r = pick(rnd, t.all(Texts.RETURN, 1, m.bodyStart(), m.bodyEnd()));
        if (r == null) {
            return null;
        }
        String args = String.join(", ", t.all(PARAM, 2, m.paramsStart(), m.paramsEnd()).stream().map(Span::text).toList());
        int end = src.lastIndexOf('}');
        if (end < 0) {
            return null; // a truncated source: nothing to append to
        }
        return switch (rnd.nextInt(3)) {
            case 0 -> replaceSpan(src, r, m.name() + "(" + args + ")");
            case 1 -> splice(replaceSpan(src, r, "again(" + r.text() + ")"), end, end,
                    "    Tensor again(Tensor t) { return again(t); }\n");
            default -> splice(replaceSpan(src, r, "ping(" + r.text() + ")"), end, end,
                    "    static Tensor ping(Tensor t) { return pong(t); }\n    static Tensor pong(Tensor t) { return ping(t); }\n");
        };
    }

    static String badShapes(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        if (m == null) {
            return null;
        }
        List<String> params = t.all(PARAM, 2, m.paramsStart(), m.paramsEnd()).stream().map(Span::text).toList();
        Span x = pick(rnd, t.all(Texts.IDENT, 1, m.bodyStart(), m.bodyEnd()).stream()
                .filter(s -> params.contains(s.text())).toList());
        if (x == null) {
            return null;
        }
        String v = x.text();
        return replaceSpan(src, x, pick(rnd, "matmul(" + v + ", " + v + ")", "transpose(" + v + ")", "reshape(" + v + ", 3, 7)",
                "reshape(" + v + ", -1, -1)", "reshape(" + v + ", 0)", "reshape(" + v + ", -1, 1000003)",
                "reshape(" + v + ", 0, -1)", "reshape(" + v + ", -1, 0)", "reshape(" + v + ", 65536, 65536, -1)",
                "reshape(" + v + ", -1, 2147483647)", "reshape(" + v + ", -2147483648)", "reshape(" + v + ")",
                "expandDims(" + v + ", 9)", "expandDims(" + v + ", -2147483648)", "sum(" + v + ", 7, true)",
                "mean(" + v + ", -9, false)", "l2Normalize(" + v + ", 5)", "softmax(expandDims(sum(" + v + "), 0))",
                "softmax(sum(" + v + "))", "cosineSimilarity(" + v + ", transpose(" + v + "), 1)",
                "add(" + v + ", transpose(" + v + "))", "mul(" + v + ", reshape(" + v + ", -1, 1))",
                "klDivergence(" + v + ", sum(" + v + "))", "matmul(sum(" + v + "), " + v + ")", "transpose(sum(" + v + "))",
                "l2Normalize(" + v + ", HALF)", "sum(" + v + ", 1 + 1, true)", "sum(" + v + ", 2147483647, true)",
                "sum(" + v + ", 1.5, true)", "sum(" + v + ", 0x1, true)", "sum(" + v + ", 99999999999L, true)",
                "matmul(expandDims(" + v + ", 0), expandDims(" + v + ", 0))", "matmul(transpose(" + v + "), " + v + ")",
                "max(" + v + ", -1, true)", "clip(" + v + ", 1, 0)", "pow(" + v + ", -0.5)",
                "reshape(transpose(" + v + "), -1)", "matmul(reshape(" + v + ", -1, 2, 3), reshape(" + v + ", -1, 3, 2))"));
    }

    static String badIntLiteral(String src, Random rnd, Texts t) {
        MethodSpan m = pick(rnd, t.bodies());
        Span lit = m == null ? null : pick(rnd, t.all(Texts.INT, 1, m.bodyStart(), m.bodyEnd()));
        return replaceSpan(src, lit, pick(rnd, "0", "-1", "1", "2", "3", "7", "-9", "2147483647", "-2147483648", "1000000",
                "65536", "0L", "08", "1_0", "'a'", "0.0"));
    }
}
