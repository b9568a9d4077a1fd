package dev.tapgrad.processor.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.ShapeRule;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import dev.tapgrad.processor.diag.Diagnostic;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link ShapeRule} on one call each, without javac: the inferred shape, or the BodyShape
 * message. Arguments are written {@code "[B,64]"} for a tensor of shape (B, 64), {@code "[]"} for a
 * scalar, {@code "CONST"} for a tensor constant of the model (shape unknown until run time),
 * {@code "true"}/{@code "false"} for a boolean literal, and anything else for a number constant's
 * Java source.
 */
class ShapeRulesTest {
    /** One call: the op, its rule, its arguments, and the expected shape or {@code "error: <message>"}. */
    record Case(String method, ShapeRule rule, List<String> args, String expected) {
        @Override
        public String toString() {
            return method + args + " -> " + expected;
        }
    }

    private static Case c(String method, ShapeRule rule, String expected, String... args) {
        return new Case(method, rule, List.of(args), expected);
    }

    static Stream<Case> cases() {
        ShapeRule same = ShapeRule.SAME;
        ShapeRule bc = ShapeRule.BROADCAST;
        ShapeRule loss = ShapeRule.BROADCAST_TO_SCALAR;
        ShapeRule reduce = ShapeRule.REDUCE_AXIS;
        ShapeRule withAxis = ShapeRule.SAME_WITH_AXIS;
        ShapeRule last = ShapeRule.LAST_AXIS;
        ShapeRule expand = ShapeRule.EXPAND_DIMS;
        ShapeRule reshape = ShapeRule.RESHAPE;
        ShapeRule transpose = ShapeRule.TRANSPOSE;
        ShapeRule matmul = ShapeRule.MATMUL;
        return Stream.of(
                c("exp", same, "(B, 64)", "[B,64]"),
                c("clip", same, "(B, 64)", "[B,64]", "0", "1"),
                c("max", ShapeRule.SCALAR, "()", "[B,64]"),
                c("div", bc, "(B, 64)", "[B,64]", "[64]"),
                c("add", bc, "(64, B)", "[64,B]", "[64,1]"),
                c("mul", bc, "(B, 64)", "[B,64]", "CONST"),
                c("add", bc, "error: add((B, 64), (B,)): both operands carry the batch axis but their ranks differ", "[B,64]", "[B]"),
                c("mse", loss, "()", "[B,8]", "[B,8]"),
                c("klDivergence", loss, "()", "CONST", "[B,100,64]"),
                c("mse", loss, "error: mse((B, 8), (B, 9)): the shapes do not broadcast", "[B,8]", "[B,9]"),
                c("sparseCategoricalCrossentropy", ShapeRule.CLASS_IDS_TO_SCALAR, "()", "[B]", "[B,10]"),
                c("sparseCategoricalCrossentropy", ShapeRule.CLASS_IDS_TO_SCALAR, "()", "[B,1]", "[B,10]"),
                c("sparseCategoricalCrossentropy", ShapeRule.CLASS_IDS_TO_SCALAR, "()", "[B,20]", "[B,20,10]"),
                c("sparseCategoricalCrossentropy", ShapeRule.CLASS_IDS_TO_SCALAR, "()", "CONST", "[B,10]"),
                c("sparseCategoricalCrossentropy", ShapeRule.CLASS_IDS_TO_SCALAR, "error: sparseCategoricalCrossentropy((B, 10),"
                        + " (B, 10)): the labels must be one class id per row of the predictions, of shape (B,) or (B, 1)",
                        "[B,10]", "[B,10]"),
                c("sparseCategoricalCrossentropy", ShapeRule.CLASS_IDS_TO_SCALAR, "error: sparseCategoricalCrossentropy((), ()):"
                        + " the predictions need a last axis of classes", "[]", "[]"),
                c("sum", reduce, "(B,)", "[B,64]", "1", "false"),
                c("sum", reduce, "(B, 1)", "[B,64]", "-1", "true"),
                c("mean", reduce, "(64,)", "[B,64]", "0"),
                c("max", reduce, "(B, 26, 32)", "[B,26,26,32]", "2"),
                c("cosineSimilarity", reduce, "(B,)", "[64]", "[B,64]", "-1"),
                c("cosineSimilarity", reduce, "(B,)", "CONST", "[B,64]", "-1"),
                c("cosineSimilarity", reduce, "error: cosineSimilarity((64,), (B, 64), 0): axis 0 of the broadcast shape is"
                        + " not an axis of the argument (64,), which has fewer dimensions; count from the end instead, e.g. -1",
                        "[64]", "[B,64]", "0"),
                c("sum", reduce, "error: sum((B, 64), 2, true): axis 2 is out of range for (B, 64); valid axes are -2..1"
                        + " (negative axes count from the end)", "[B,64]", "2", "true"),
                c("sum", reduce, "error: sum((B, 64), -3): axis -3 is out of range", "[B,64]", "-3"),
                c("sum", reduce, "error: sum((), 0): axis 0 is out of range for (); a scalar has no axes", "[]", "0"),
                c("sum", reduce, "error: sum((B, 64), AXIS, true): the axis must be an int literal such as 1 or -1, or a static final int constant, so that"
                        + " Tapgrad can check shapes at compile time; found AXIS", "[B,64]", "AXIS", "true"),
                c("sum", reduce, "error: sum((B, 64), (1 + 0)): the axis must be an int literal", "[B,64]", "(1 + 0)"),
                c("l2Normalize", withAxis, "(B, 64)", "[B,64]", "1"),
                c("l2Normalize", withAxis, "error: l2Normalize((B, 64), -3): axis -3 is out of range for (B, 64)", "[B,64]", "-3"),
                c("softmax", last, "(B, 8)", "[B,8]"),
                c("softmax", last, "error: softmax(()): softmax works along the last axis, but its argument is a scalar ()", "[]"),
                c("expandDims", expand, "(B, 1, 64)", "[B,64]", "1"),
                c("expandDims", expand, "(B, 64, 1)", "[B,64]", "-1"),
                c("expandDims", expand, "(1, B, 64)", "[B,64]", "-3"),
                c("expandDims", expand, "error: expandDims((B, 64), 3): position 3 is out of range for (B, 64); a new axis"
                        + " goes at -3..2 (-1 appends it)", "[B,64]", "3"),
                c("reshape", reshape, "(B, 21632)", "[B,26,26,32]", "-1", "21632"),
                c("reshape", reshape, "(B, 8, 8)", "[B,64]", "-1", "8", "8"),
                c("reshape", reshape, "error: reshape((B, 26, 26, 32), -1, 100): one example holds 21632 values, but"
                        + " (B, 100) holds 100 per example", "[B,26,26,32]", "-1", "100"),
                c("reshape", reshape, "error: reshape((B, 64), 8, 8): (B, 64) carries the batch dimension B, which must"
                        + " stay first: write -1 for it, e.g. reshape(x, -1, 64)", "[B,64]", "8", "8"),
                c("reshape", reshape, "error: reshape((64, B), -1, 64): the batch dimension B is not the first axis of"
                        + " (64, B)", "[64,B]", "-1", "64"),
                c("reshape", reshape, "(12,)", "[3,4]", "-1"),
                c("reshape", reshape, "(2, 3, 2)", "[3,4]", "2", "-1", "2"),
                c("reshape", reshape, "error: reshape((3, 4), 5, -1): 12 values do not split into blocks of 5 for the -1",
                        "[3,4]", "5", "-1"),
                c("reshape", reshape, "error: reshape((3, 4), -1, -1): only one dimension may be -1", "[3,4]", "-1", "-1"),
                c("reshape", reshape, "error: reshape((3, 4), 5, 2): (3, 4) holds 12 values, but (5, 2) holds 10",
                        "[3,4]", "5", "2"),
                c("reshape", reshape, "error: reshape((3, 4), -2, 6): dimension -2 is negative", "[3,4]", "-2", "6"),
                c("reshape", reshape, "unknown", "CONST", "-1", "4"),
                c("transpose", transpose, "(64, B)", "[B,64]"),
                c("transpose", transpose, "(2, 4, 3)", "[2,3,4]"),
                c("transpose", transpose, "error: transpose((B,)): transpose swaps the last two axes, but (B,) has 1;"
                        + " use expandDims(x, 0) or expandDims(x, -1) first", "[B]"),
                c("transpose", transpose, "unknown", "CONST"),
                c("matmul", matmul, "(B, B)", "[B,64]", "[64,B]"),
                c("matmul", matmul, "(B, 3, 5)", "[B,3,4]", "[B,4,5]"),
                c("matmul", matmul, "error: matmul((B, 64), (B, 64)): inner dimensions 64 and B differ; did you mean"
                        + " transpose(...)? matmul(a, transpose(b)) multiplies (B, 64) by (64, B)", "[B,64]", "[B,64]"),
                c("matmul", matmul, "error: matmul((64, B), (64, B)): inner dimensions B and 64 differ; did you mean"
                        + " transpose(...)? matmul(a, transpose(b)) multiplies (64, B) by (B, 64)", "[64,B]", "[64,B]"),
                c("matmul", matmul, "error: matmul((3, 4), (3, 5)): inner dimensions 4 and 3 differ; did you mean"
                        + " transpose(...)? matmul(transpose(a), b) multiplies (4, 3) by (3, 5)", "[3,4]", "[3,5]"),
                c("matmul", matmul, "error: matmul((3, 4), (5, 6)): inner dimensions 4 and 5 differ; the last dimension of"
                        + " the first argument must equal the second-to-last of the second", "[3,4]", "[5,6]"),
                c("matmul", matmul, "error: matmul((B, 3, 4), (2, 4, 5)): the leading (batch) dimensions B and 2 differ",
                        "[B,3,4]", "[2,4,5]"),
                c("matmul", matmul, "error: matmul((3, 4), (4,)): matmul multiplies two rank-2 matrices (m, k)·(k, n) or"
                        + " two rank-3 batches (b, m, k)·(b, k, n)", "[3,4]", "[4]"),
                c("matmul", matmul, "unknown", "CONST", "[B,64]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inferredShapeOrMessage(Case c) {
        List<Operand> operands = new ArrayList<>();
        List<ArgKind> kinds = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (String a : c.args()) {
            if (a.equals("true") || a.equals("false")) {
                operands.add(new Operand.BooleanConst(Boolean.parseBoolean(a)));
                kinds.add(ArgKind.BOOLEAN);
            } else if (a.equals("CONST")) {
                operands.add(new Operand.TensorConst(a));
                kinds.add(ArgKind.TENSOR);
                shapes.add(Shape.UNKNOWN);
            } else if (a.startsWith("[")) {
                operands.add(new Operand.Var(new Value(operands.size(), "x" + operands.size())));
                kinds.add(ArgKind.TENSOR);
                shapes.add(dims(a));
            } else {
                operands.add(number(a));
                kinds.add(ArgKind.DOUBLE);
            }
        }
        List<String> adjoints = kinds.stream().map(k -> k == ArgKind.TENSOR ? "adjoint" : null).toList();
        OpSignature op = new OpSignature("dev.tapgrad.runtime.Ops", c.method(), kinds, adjoints, c.rule());
        Instr in = new Instr(new Value(99, "out"), op, operands, Origin.NONE);
        Report report = new Report();
        Shape out = new ShapeRules(in, shapes, report).apply();
        if (c.expected().startsWith("error: ")) {
            assertNull(out, "no shape for a call that does not fit");
            List<Diagnostic> items = report.items();
            assertEquals(1, items.size(), items.toString());
            assertEquals(Tag.BODY_SHAPE, items.get(0).tag());
            String message = items.get(0).message();
            assertTrue(message.startsWith(c.expected().substring("error: ".length())), message);
        } else {
            assertTrue(report.items().isEmpty(), report.items().toString());
            assertEquals(c.expected(), out.known() ? out.toString() : "unknown");
        }
    }

    /** An int literal's value, or a number the shape rules cannot read (a field, an expression). */
    private static Operand.Scalar number(String source) {
        try {
            return new Operand.Scalar((double) Integer.parseInt(source), source, true, true);
        } catch (NumberFormatException notALiteral) {
            return new Operand.Scalar(null, source, true, false);
        }
    }

    /** {@code "[B,26,32]"} as dims; a number is a fixed dimension, B the batch. */
    private static Shape dims(String bracketed) {
        String text = bracketed.substring(1, bracketed.length() - 1);
        if (text.isEmpty()) {
            return Shape.SCALAR;
        }
        return new Shape(Arrays.stream(text.split(",")).map(d -> d.equals("B") ? Shape.B : Integer.parseInt(d)).toList());
    }
}
