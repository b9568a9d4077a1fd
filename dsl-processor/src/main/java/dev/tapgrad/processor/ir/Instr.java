package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/** {@code result = op(args...)}: one call of a differentiable op, with the expression it came from. */
public record Instr(Value result, OpSignature op, List<Operand> args, Origin origin) {
    public Instr {
        args = List.copyOf(args);
    }

    @Override
    public String toString() {
        return IrPrinter.instr(this);
    }
}
