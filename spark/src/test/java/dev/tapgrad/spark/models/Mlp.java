package dev.tapgrad.spark.models;

import static dev.tapgrad.Activation.RELU;
import static dev.tapgrad.Activation.SOFTMAX;
import static dev.tapgrad.runtime.Ops.abs;
import static dev.tapgrad.runtime.Ops.mean;
import static dev.tapgrad.runtime.Ops.sum;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** The test MLP: 12 features, two hidden layers, 4 classes, an activation and a weight penalty. */
@Model(input = {12}, loss = LossKind.CATEGORICAL_CROSSENTROPY, metrics = Metric.ACCURACY)
public abstract class Mlp {
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer(units = 8, activation = RELU) Dense inner;
    @Layer(units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.01)
    Tensor sparsity(Tensor hidden) {
        return mean(abs(hidden));
    }

    @AuxLoss(tap = "inner.kernel", weight = 0.001)
    Tensor l1(Tensor kernel) {
        return sum(abs(kernel));
    }
}
