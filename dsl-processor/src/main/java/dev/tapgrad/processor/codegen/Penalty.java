package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.ad.ir.Instr;
import dev.tapgrad.processor.ad.ir.Operand;
import dev.tapgrad.processor.ad.ir.Program;
import dev.tapgrad.processor.ad.ir.Value;

/**
 * An aux-loss body that is exactly an L1 or L2 penalty on one tap, {@code mean|sum} of
 * {@code abs|square} of it, which the generated code computes with the runtime's fused
 * {@code Penalties} kernels (one pass forward, one backward, no temporaries) instead of op by op.
 * They give the same bits as the ops, so the choice changes speed only.
 *
 * @param input the tap the penalty reads
 * @param forward the {@code Penalties} method for its value, e.g. {@code meanAbs}
 * @param gradient the {@code Penalties} method adding its weighted gradient, e.g. {@code addMeanAbsGradient}
 * @param text the body as the user wrote it, for the comment, e.g. {@code mean(abs(conv1))}
 */
record Penalty(Value input, String forward, String gradient, String text) {
    private static final String OPS_PACKAGE = "dev.tapgrad.runtime.ops";

    /** The penalty {@code program} computes, or null if its body is anything else. */
    static Penalty match(Program program) {
        if (program.instrs().size() != 2) {
            return null;
        }
        Instr inner = program.instrs().get(0);
        Instr outer = program.instrs().get(1);
        if (!outer.result().equals(program.result()) || !isOps(inner) || !isOps(outer)
                || inner.args().size() != 1 || outer.args().size() != 1
                || !(inner.args().get(0) instanceof Operand.Var in) || !program.inputs().contains(in.value())
                || !(outer.args().get(0) instanceof Operand.Var arg) || !arg.value().equals(inner.result())) {
            return null;
        }
        String element = switch (inner.op().method()) {
            case "abs" -> "Abs";
            case "square" -> "Square";
            default -> null;
        };
        String reduce = switch (outer.op().method()) {
            case "mean" -> "mean";
            case "sum" -> "sum";
            default -> null;
        };
        if (element == null || reduce == null) {
            return null;
        }
        return new Penalty(in.value(), reduce + element, "add" + Character.toUpperCase(reduce.charAt(0))
                + reduce.substring(1) + element + "Gradient",
                reduce + "(" + inner.op().method() + "(" + in.value().name() + "))");
    }

    /** The runtime's {@code OutputPenalty} constant for this penalty, e.g. {@code MEAN_ABS} for {@code meanAbs}. */
    String constant() {
        return forward.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    private static boolean isOps(Instr in) {
        return in.op().ownerPackage().equals(OPS_PACKAGE);
    }
}
