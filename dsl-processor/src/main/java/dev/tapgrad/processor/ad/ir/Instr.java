package dev.tapgrad.processor.ad.ir;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;
import java.util.stream.Collectors;

/** {@code result = op(args...)}: one call of a differentiable op, with the expression it came from. */
public record Instr(Value result, OpSignature op, List<Operand> args, Origin origin) {
    public Instr {
        args = List.copyOf(args);
    }

    @Override
    public String toString() {
        return result + " = " + op.ownerSimpleName() + "." + op.method()
                + args.stream().map(Object::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
