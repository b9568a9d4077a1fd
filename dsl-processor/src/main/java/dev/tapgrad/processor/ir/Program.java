package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * A loss body in the IR: its tensor inputs (the method's parameters, bound to taps), a straight-line
 * list of op calls, and the value it returns. Printed by {@link IrPrinter} for golden tests and
 * debugging, checked by {@link IrCheck}.
 */
public record Program(String name, List<Value> inputs, List<Instr> instrs, Value result, Origin resultOrigin) {
    public Program {
        inputs = List.copyOf(inputs);
        instrs = List.copyOf(instrs);
    }

    /** Whether every value carries its shape (after {@link BodyShapes#infer}). */
    public boolean typed() {
        return inputs.stream().allMatch(v -> v.shape() != null)
                && instrs.stream().allMatch(i -> i.result().shape() != null);
    }

    @Override
    public String toString() {
        return IrPrinter.print(this);
    }
}
