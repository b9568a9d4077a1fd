package dev.tapgrad.processor.ad;

import dev.tapgrad.processor.ir.Value;

/**
 * The outcome of the penalty rewrite on one loss body: the body is exactly {@code rule}'s chain on
 * the input {@code input}, so its forward and reverse passes become the rule's two kernel calls.
 */
public record Fusion(PenaltyRule rule, Value input) {
    /** The body as the user wrote it, for comments, e.g. {@code mean(abs(conv1))}. */
    public String text() {
        return rule.text(input.name());
    }

    /** As the IR goldens print it: {@code fused mean(abs(%conv1)) -> OutputPenalty.MEAN_ABS}. */
    @Override
    public String toString() {
        String simple = rule.constantClass().substring(rule.constantClass().lastIndexOf('.') + 1);
        return "fused " + rule.text(input.ref()) + " -> " + simple + "." + rule.constant();
    }
}
