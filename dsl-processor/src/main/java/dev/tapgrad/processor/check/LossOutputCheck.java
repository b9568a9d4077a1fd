package dev.tapgrad.processor.check;

import dev.tapgrad.Activation;
import dev.tapgrad.LossKind;
import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.LossOutputMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;

/** DESIGN §2 row 9: the main loss must exist and fit the output layer (on probabilities; logits are row 13's). */
public final class LossOutputCheck {
    private LossOutputCheck() {}

    /** Reports a missing main loss and crossentropy on an output that is not a distribution. */
    public static Report run(ModelSpec spec) {
        Report r = new Report();
        if (spec.loss() == LossKind.NONE && spec.lossMethod() == null) {
            r.error(Tag.LOSS_OUTPUT, spec.origin(), LossMessages.noMainLoss(spec.simpleName()));
        }
        if (spec.loss() != LossKind.NONE && spec.lossMethod() != null) {
            r.error(Tag.LOSS_OUTPUT, spec.lossOrigin(),
                    LossMessages.bothLosses(spec.simpleName(), spec.lossMethod().method(), spec.loss().name()));
        }
        if (spec.lossMethod() != null && spec.lossMethod().method().equals("loss") && !spec.auxLosses().isEmpty()) {
            r.warning(Tag.LOSS_OUTPUT, spec.lossMethod().origin(), LossMessages.lossMethodNamedLoss());
        }
        if (spec.fromLogits() || spec.layers().isEmpty()) {
            return r; // the logits' checks are row 13's (MetricLossCheck)
        }
        if (spec.loss() == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY || spec.loss() == LossKind.BINARY_CROSSENTROPY) {
            LayerSpec last = spec.layers().get(spec.layers().size() - 1);
            Activation act = last.attributes().activation();
            boolean sparse = spec.loss() == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY;
            if (sparse && act == Activation.SIGMOID) {
                r.warning(Tag.LOSS_OUTPUT, spec.lossOrigin(), LossOutputMessages.sparseOnSigmoid(last.name()));
            } else if (act != Activation.SOFTMAX && act != Activation.SIGMOID) {
                r.error(Tag.LOSS_OUTPUT, spec.lossOrigin(), LossOutputMessages.needsProbabilities(spec.loss(), last.name(),
                        act.name(), sparse ? "SOFTMAX" : "SIGMOID"));
            }
        }
        if (spec.loss() == LossKind.CATEGORICAL_CROSSENTROPY) {
            LayerSpec last = spec.layers().get(spec.layers().size() - 1);
            Activation act = last.attributes().activation();
            if (act == Activation.SIGMOID) {
                // Values in (0, 1) that Keras renormalises per row: trains, but is rarely what was meant.
                r.warning(Tag.LOSS_OUTPUT, spec.lossOrigin(), LossMessages.crossentropyOnSigmoid(last.name()));
            } else if (act != Activation.SOFTMAX) {
                r.error(Tag.LOSS_OUTPUT, spec.lossOrigin(),
                        LossMessages.crossentropyNeedsProbabilities(last.name(), act.name()));
            }
        }
        return r;
    }
}
