package dev.tapgrad.processor.ad;

import dev.tapgrad.processor.ir.OpSignature;
import java.util.List;

/**
 * A fusion rule the runtime declares ({@code @Fuses} on an {@code OutputPenalty} constant): a chain
 * of one-argument ops on one tensor, innermost first, as the resolver resolved them, and the
 * kernels that compute the chain's value and add its weighted gradient in one pass each.
 *
 * @param ops the resolved ops, innermost first: {@code [abs, mean]} for {@code mean(abs(x))}
 * @param kernelClass qualified name of the class with {@code forward} and {@code gradient}
 * @param forward {@code static double forward(Tensor x)}
 * @param gradient {@code static void gradient(Tensor x, double weight, Tensor grad)}
 * @param constantClass qualified name of the enum a layer's {@code penalize} takes
 * @param constant the enum constant that names this rule, e.g. {@code MEAN_ABS}
 */
public record PenaltyRule(
        List<OpSignature> ops, String kernelClass, String forward, String gradient, String constantClass, String constant) {
    public PenaltyRule {
        ops = List.copyOf(ops);
    }

    /** The chain applied to {@code x} as a body writes it, e.g. {@code mean(abs(x))}. */
    public String text(String x) {
        String s = x;
        for (OpSignature op : ops) {
            s = op.method() + "(" + s + ")";
        }
        return s;
    }
}
