package dev.tapgrad.processor.ir;

import static com.google.common.truth.Truth.assertThat;

import dev.tapgrad.ShapeRule;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The IR checker accepts a well-formed typed body and its reverse pass, and names each kind of fault. */
class IrCheckTest {
    private static final OpSignature ABS = new OpSignature("x.Ops", "abs", List.of(ArgKind.TENSOR),
            List.of("absAdjoint"), ShapeRule.SAME);
    private static final OpSignature MEAN = new OpSignature("x.Ops", "mean", List.of(ArgKind.TENSOR),
            List.of("meanAdjoint"), ShapeRule.SCALAR);

    private final Value x = new Value(0, "x", Shape.batch(4));
    private final Value t1 = new Value(1, "t1", Shape.batch(4));
    private final Value t2 = new Value(2, "t2", Shape.SCALAR);

    private Program program(Instr... instrs) {
        return new Program("l1", List.of(x), List.of(instrs), t2, Origin.NONE);
    }

    private static Instr call(Value result, OpSignature op, Value arg) {
        return new Instr(result, op, List.of(new Operand.Var(arg)), Origin.NONE);
    }

    @Test
    void wellFormedBodyAndReversePassPassAndPrint() {
        Program p = program(call(t1, ABS, x), call(t2, MEAN, t1));
        assertThat(IrCheck.check(p)).isEmpty();
        Adjoint a = new Adjoint(List.of(new Adjoint.Step(p.instrs().get(1), 0, t1, true),
                new Adjoint.Step(p.instrs().get(0), 0, x, true)), Map.of(x, 1));
        assertThat(IrCheck.check(p, a)).isEmpty();
        assertThat(IrPrinter.print(p)).isEqualTo("l1(%x: f32[B,4]) {\n  %t1: f32[B,4] = Ops.abs(%x)\n"
                + "  %t2: f32[] = Ops.mean(%t1)\n  return %t2\n}\n");
        assertThat(IrPrinter.print(p, a)).isEqualTo("reverse l1 {\n  d%t2: f32[] = seed(weight)\n"
                + "  d%t1: f32[B,4] = Ops.meanAdjoint(%t1, %t2, d%t2)\n  d%x: f32[B,4] = Ops.absAdjoint(%x, %t1, d%t1)\n"
                + "  grad %x = d%x\n}\n");
    }

    @Test
    void useBeforeDefinitionIsReported() {
        Program p = program(call(t2, MEAN, t1), call(t1, ABS, x));
        assertThat(String.join("\n", IrCheck.check(p))).contains("%t1 is used before it is defined");
    }

    @Test
    void shapeThatDisagreesWithTheOpsRuleIsReported() {
        Value wrong = new Value(1, "t1", Shape.batch(5));
        Program p = new Program("l1", List.of(x), List.of(call(wrong, ABS, x), call(t2, MEAN, wrong)), t2, Origin.NONE);
        assertThat(String.join("\n", IrCheck.check(p))).contains("the shape rule SAME gives f32[B,4]");
    }

    @Test
    void argumentOfTheWrongKindIsReported() {
        List<Operand> args = new ArrayList<>(List.of(new Operand.Scalar(1.0, "1", true, true)));
        Program p = program(new Instr(t1, ABS, args, Origin.NONE), call(t2, MEAN, t1));
        assertThat(String.join("\n", IrCheck.check(p))).contains("argument 0 is i64 but the op takes Tensor");
    }

    @Test
    void reversePassThatReadsAGradientBeforeComputingItIsReported() {
        Program p = program(call(t1, ABS, x), call(t2, MEAN, t1));
        Adjoint a = new Adjoint(List.of(new Adjoint.Step(p.instrs().get(0), 0, x, true)), Map.of(x, 0));
        assertThat(String.join("\n", IrCheck.check(p, a))).contains("reads d%t1 before it is computed");
    }
}
