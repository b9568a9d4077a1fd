package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** One sigmoid unit with {@code metrics = ACCURACY}: the model of issue 12 whose accuracy read 1.0 whatever it predicted. */
@Model(input = {1}, loss = LossKind.BINARY_CROSSENTROPY, metrics = {Metric.ACCURACY, Metric.MAE, Metric.MSE})
abstract class OneSigmoidNet {
    @Layer(units = 1, activation = SIGMOID) Dense out;
}
