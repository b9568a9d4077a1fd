package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** The sparse crossentropy on class ids, with the sparse accuracy, for the allocation test. */
@Model(input = {20}, loss = LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, metrics = Metric.ACCURACY)
abstract class SparseLabelsMlp {
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = SOFTMAX) Dense out;
}
