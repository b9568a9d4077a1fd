package dev.tapgrad.processor.ad;

import dev.tapgrad.processor.ir.Instr;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import java.util.List;

/**
 * The penalty rewrite on the typed IR: a loss body that is exactly one rule's chain of ops on one
 * of its inputs (each call's op the rule's resolved {@code OpSignature}, each call's only argument
 * the previous call's result, the last call the body's result) is computed by the rule's fused
 * kernels. Ops are compared as resolved signatures (owner class, method, parameter kinds, adjoints,
 * shape rule), so a user's op of the same name never matches. The kernels give the ops' values
 * bit for bit, so the rewrite changes speed only.
 */
public final class PenaltyFusion {
    private PenaltyFusion() {}

    /** The first rule {@code p} is exactly, on which input; null when it is none of them. */
    public static Fusion match(Program p, List<PenaltyRule> rules) {
        for (PenaltyRule rule : rules) {
            Value input = matchChain(p, rule);
            if (input != null) {
                return new Fusion(rule, input);
            }
        }
        return null;
    }

    private static Value matchChain(Program p, PenaltyRule rule) {
        List<Instr> instrs = p.instrs();
        if (instrs.size() != rule.ops().size() || instrs.isEmpty()
                || !instrs.get(instrs.size() - 1).result().equals(p.result())) {
            return null;
        }
        Value input = null;
        for (int i = 0; i < instrs.size(); i++) {
            Instr in = instrs.get(i);
            if (!in.op().equals(rule.ops().get(i)) || in.args().size() != 1 || !(in.args().get(0) instanceof Operand.Var v)) {
                return null;
            }
            Value expected = i == 0 ? v.value() : instrs.get(i - 1).result();
            if (!v.value().equals(expected)) {
                return null;
            }
            if (i == 0) {
                input = v.value();
            }
        }
        return p.inputs().contains(input) ? input : null;
    }
}
