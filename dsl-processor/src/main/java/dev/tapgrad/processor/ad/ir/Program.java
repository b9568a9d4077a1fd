package dev.tapgrad.processor.ad.ir;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * A loss body in the IR: its tensor inputs (the method's parameters, bound to taps), a straight-line
 * list of op calls, and the value it returns. Printed for golden tests and debugging.
 */
public record Program(String name, List<Value> inputs, List<Instr> instrs, Value result, Origin resultOrigin) {
    public Program {
        inputs = List.copyOf(inputs);
        instrs = List.copyOf(instrs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < inputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(inputs.get(i));
        }
        sb.append(") {\n");
        for (Instr in : instrs) {
            sb.append("  ").append(in).append('\n');
        }
        return sb.append("  return ").append(result).append("\n}").toString();
    }
}
