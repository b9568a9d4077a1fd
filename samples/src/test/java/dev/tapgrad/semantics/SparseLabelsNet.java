package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** Three classes with class-id labels: the sparse loss, and ACCURACY resolved to the sparse accuracy. */
@Model(input = {2}, loss = LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, metrics = Metric.ACCURACY)
abstract class SparseLabelsNet {
    @Layer(units = 3, activation = SOFTMAX) Dense out;
}
