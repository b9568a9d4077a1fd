package dev.tapgrad.processor.ir;

import java.util.List;
import java.util.Map;

/**
 * The reverse pass of a loss body: the gradient steps in the order they run, and the inputs (taps)
 * that receive a gradient. Inputs the loss does not depend on are absent: their gradient is a
 * symbolic zero and no code is emitted for it.
 *
 * @param steps each step computes one contribution to the gradient of {@code target}
 * @param inputGradients for each input that gets a gradient, the step index of its last contribution
 */
public record Adjoint(List<Step> steps, Map<Value, Integer> inputGradients) {
    public Adjoint {
        steps = List.copyOf(steps);
        inputGradients = Map.copyOf(inputGradients);
    }

    /**
     * One call of an op's adjoint: {@code d(target) (+)= adjoint(args..., result, d(result))}.
     *
     * @param argIndex which argument of {@code instr} the adjoint is for
     * @param first whether this is the first contribution (declares the gradient) or an accumulation
     */
    public record Step(Instr instr, int argIndex, Value target, boolean first) {
        /** The adjoint method's name. */
        public String adjointMethod() {
            return instr.op().adjointOf(argIndex);
        }
    }
}
