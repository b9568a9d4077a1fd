package dev.tapgrad.semantics;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** {@link OneSigmoidNet} on logits: a linear unit and {@code fromLogits = true}; accuracy thresholds the logit at 0. */
@Model(input = {1}, loss = LossKind.BINARY_CROSSENTROPY, fromLogits = true, metrics = Metric.ACCURACY)
abstract class LogitsNet {
    @Layer(units = 1) Dense out;
}
