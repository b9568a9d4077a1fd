package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** The Huber loss with the MAE metric, for the allocation test. */
@Model(input = {20}, loss = LossKind.HUBER, metrics = Metric.MAE)
abstract class HuberMlp {
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer(units = 3) Dense out;
}
