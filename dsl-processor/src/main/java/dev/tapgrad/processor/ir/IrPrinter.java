package dev.tapgrad.processor.ir;

import java.util.List;
import java.util.StringJoiner;

/**
 * Deterministic text of the IR, for golden tests and debugging: one line per op call, each value
 * with its type, e.g. {@code %t2: f32[64,B] = Ops.transpose(%unit)}. Constants print as written,
 * followed by their compile-time value where the source is not that value itself
 * ({@code FEATURES=1}). The reverse pass prints as {@code d%x} values, {@code +=} where a gradient
 * accumulates.
 */
public final class IrPrinter {
    private IrPrinter() {}

    /** The program: its inputs with their types, one line per call, the result. */
    public static String print(Program p) {
        StringJoiner inputs = new StringJoiner(", ", p.name() + "(", ") {\n");
        p.inputs().forEach(v -> inputs.add(typed(v)));
        StringBuilder sb = new StringBuilder(inputs.toString());
        for (Instr in : p.instrs()) {
            sb.append("  ").append(instr(in)).append('\n');
        }
        return sb.append("  return ").append(p.result().ref()).append("\n}\n").toString();
    }

    /** The reverse pass of {@code p}: the seed, one line per adjoint call, the inputs' gradients. */
    public static String print(Program p, Adjoint a) {
        StringBuilder sb = new StringBuilder("reverse ").append(p.name()).append(" {\n");
        if (!a.steps().isEmpty()) {
            sb.append("  d").append(typed(p.result())).append(" = seed(weight)\n");
        }
        for (Adjoint.Step s : a.steps()) {
            Instr in = s.instr();
            StringJoiner args = new StringJoiner(", ", in.op().ownerSimpleName() + "." + s.adjointMethod() + "(", ")");
            in.args().forEach(o -> args.add(operand(o)));
            args.add(in.result().ref()).add("d" + in.result().ref());
            sb.append("  ").append(s.first() ? "d" + typed(s.target()) + " = " : "d" + s.target().ref() + " += ")
                    .append(args).append('\n');
        }
        for (Value in : p.inputs()) {
            if (a.inputGradients().containsKey(in)) {
                sb.append("  grad ").append(in.ref()).append(" = d").append(in.ref()).append('\n');
            }
        }
        return sb.append("}\n").toString();
    }

    /** One call: {@code %t1: f32[B,64] = Ops.abs(%x)}. */
    public static String instr(Instr in) {
        StringJoiner args = new StringJoiner(", ", in.op().ownerSimpleName() + "." + in.op().method() + "(", ")");
        in.args().forEach(o -> args.add(operand(o)));
        return typed(in.result()) + " = " + args;
    }

    /** An argument as a use: {@code %x}, {@code @TARGET}, {@code 0.5}, {@code FEATURES=1}, {@code true}. */
    public static String operand(Operand o) {
        if (o instanceof Operand.Var v) {
            return v.value().ref();
        }
        if (o instanceof Operand.TensorConst c) {
            return "@" + c.field();
        }
        if (o instanceof Operand.Scalar s) {
            if (s.value() == null) {
                return s.javaSource() + "=?";
            }
            String value = s.value() == Math.rint(s.value()) && Math.abs(s.value()) < 1e15
                    ? Long.toString(s.value().longValue()) : Double.toString(s.value());
            return s.javaSource().equals(value) ? value : s.javaSource() + "=" + value;
        }
        return o.toString();
    }

    private static String typed(Value v) {
        return v.ref() + ": " + (v.shape() == null ? "f32" : v.shape().irType());
    }

    /** Every loss of a model, forward then reverse, in the order given. */
    public static String printAll(List<Program> programs, List<Adjoint> adjoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < programs.size(); i++) {
            sb.append(i > 0 ? "\n" : "").append(print(programs.get(i))).append(print(programs.get(i), adjoints.get(i)));
        }
        return sb.toString();
    }
}
