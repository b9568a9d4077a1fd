package dev.tapgrad.processor.ad;

import dev.tapgrad.processor.ir.Adjoint;
import dev.tapgrad.processor.ir.Instr;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import dev.tapgrad.processor.diag.BodyMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Source-to-source reverse mode on the IR. Activity analysis keeps only values that depend on an
 * input and that the result depends on; every other gradient is a symbolic zero, so no code is
 * emitted for it (for example for a constant argument, or the result of an op whose derivative is
 * zero, such as a random draw).
 */
public final class Reverse {
    private Reverse() {}

    /** The reverse pass of {@code p}, or null when an active argument has no derivative rule. */
    public static Adjoint of(Program p, Report r) {
        return of(p, Set.of(), r);
    }

    /**
     * The reverse pass of {@code p} where the inputs in {@code constants} (such as the labels of a
     * {@code @Loss} method) take no gradient.
     */
    public static Adjoint of(Program p, Set<Value> constants, Report r) {
        Set<Value> active = new HashSet<>(p.inputs());
        active.removeAll(constants);
        for (Instr in : p.instrs()) {
            if (in.op().zeroGradient()) {
                continue; // its result does not vary with its arguments: a constant, as if stop-gradient
            }
            for (Operand o : in.args()) {
                if (o instanceof Operand.Var v && active.contains(v.value())) {
                    active.add(in.result());
                }
            }
        }
        Set<Value> needed = new HashSet<>();
        if (active.contains(p.result())) {
            needed.add(p.result());
        }
        List<Adjoint.Step> steps = new ArrayList<>();
        Set<Value> hasGradient = new HashSet<>();
        Map<Value, Integer> inputs = new HashMap<>();
        List<Instr> instrs = p.instrs();
        for (int i = instrs.size() - 1; i >= 0; i--) {
            Instr in = instrs.get(i);
            if (!needed.contains(in.result())) {
                continue;
            }
            for (int a = 0; a < in.args().size(); a++) {
                if (!(in.args().get(a) instanceof Operand.Var v) || !active.contains(v.value())) {
                    continue;
                }
                if (in.op().adjointOf(a) == null) {
                    r.error(Tag.NOT_DIFFERENTIABLE, in.origin(), BodyMessages.noGradientForArgument(in.op().method(), a));
                    return null;
                }
                Value target = v.value();
                steps.add(new Adjoint.Step(in, a, target, hasGradient.add(target)));
                needed.add(target);
                if (p.inputs().contains(target)) {
                    inputs.put(target, steps.size() - 1);
                }
            }
        }
        return new Adjoint(steps, inputs);
    }
}
