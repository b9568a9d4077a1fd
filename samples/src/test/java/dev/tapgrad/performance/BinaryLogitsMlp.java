package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** The binary crossentropy on logits, with the binary accuracy, MAE and MSE, for the allocation test. */
@Model(input = {20}, loss = LossKind.BINARY_CROSSENTROPY, fromLogits = true,
        metrics = {Metric.ACCURACY, Metric.MAE, Metric.MSE})
abstract class BinaryLogitsMlp {
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer(units = 1) Dense out;
}
