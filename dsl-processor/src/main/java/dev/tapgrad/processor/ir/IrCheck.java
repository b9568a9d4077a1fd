package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Well-formedness of the IR, as an internal consistency check between the phases: every value is
 * defined once and before its uses, every call passes what its op's signature declares, every
 * typed result has the shape its op's rule gives its arguments, and a reverse pass reads only
 * gradients it has computed. The processor runs it on every body it differentiates; a problem is
 * a processor bug, not a user mistake.
 */
public final class IrCheck {
    private IrCheck() {}

    /** What is wrong with {@code p}, one line per problem; empty when it is well formed. */
    public static List<String> check(Program p) {
        List<String> problems = new ArrayList<>();
        Set<Value> defined = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (Value v : p.inputs()) {
            define(v, defined, ids, problems);
        }
        for (Instr in : p.instrs()) {
            String at = IrPrinter.instr(in) + ": ";
            List<ArgKind> params = in.op().params();
            if (params.size() != in.args().size()) {
                problems.add(at + in.op().method() + " takes " + params.size() + " arguments");
            }
            for (int i = 0; i < Math.min(params.size(), in.args().size()); i++) {
                Operand o = in.args().get(i);
                if (kindOf(o) != params.get(i)) {
                    problems.add(at + "argument " + i + " is " + o.type() + " but the op takes " + params.get(i).javaName());
                }
                if (o instanceof Operand.Var v && !defined.contains(v.value())) {
                    problems.add(at + v.value().ref() + " is used before it is defined");
                }
            }
            if (p.typed() && problems.isEmpty()) {
                Report r = new Report();
                Shape expected = new ShapeRules(in, BodyShapes.tensorShapes(in.args()), r).apply();
                if (expected == null || !expected.equals(in.result().shape())) {
                    problems.add(at + "the shape rule " + in.op().shape() + " gives "
                            + (expected == null ? r.items() : expected.irType()));
                }
            }
            define(in.result(), defined, ids, problems);
        }
        if (!defined.contains(p.result())) {
            problems.add("the result " + p.result().ref() + " is not defined");
        }
        return problems;
    }

    /** What is wrong with {@code a} as the reverse pass of {@code p}; empty when it is well formed. */
    public static List<String> check(Program p, Adjoint a) {
        List<String> problems = new ArrayList<>();
        Set<Value> hasGradient = new HashSet<>();
        if (!a.steps().isEmpty()) {
            hasGradient.add(p.result());
        }
        for (int i = 0; i < a.steps().size(); i++) {
            Adjoint.Step s = a.steps().get(i);
            String at = "step " + i + " (" + s.adjointMethod() + "): ";
            if (!p.instrs().contains(s.instr())) {
                problems.add(at + "its call is not in " + p.name());
            }
            if (!hasGradient.contains(s.instr().result())) {
                problems.add(at + "reads d" + s.instr().result().ref() + " before it is computed");
            }
            if (!(s.instr().args().get(s.argIndex()) instanceof Operand.Var v) || !v.value().equals(s.target())) {
                problems.add(at + "its target " + s.target().ref() + " is not argument " + s.argIndex());
            }
            if (s.first() == hasGradient.contains(s.target())) {
                problems.add(at + (s.first() ? "declares d" : "accumulates into undeclared d") + s.target().ref());
            }
            hasGradient.add(s.target());
        }
        a.inputGradients().forEach((v, step) -> {
            if (!p.inputs().contains(v) || step >= a.steps().size() || !a.steps().get(step).target().equals(v)) {
                problems.add("the gradient of input " + v.ref() + " names step " + step);
            }
        });
        return problems;
    }

    private static void define(Value v, Set<Value> defined, Set<Integer> ids, List<String> problems) {
        if (!ids.add(v.id())) {
            problems.add(v.ref() + " (id " + v.id() + ") is defined twice");
        }
        defined.add(v);
    }

    private static ArgKind kindOf(Operand o) {
        return o instanceof Operand.Scalar ? ArgKind.DOUBLE : o instanceof Operand.BooleanConst ? ArgKind.BOOLEAN : ArgKind.TENSOR;
    }
}
