package dev.tapgrad.spark.example;

import static dev.tapgrad.Activation.RELU;
import static dev.tapgrad.Activation.SOFTMAX;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/** The example's model: an MLP 784-128-10 on Fashion-MNIST images (28×28×1). */
@Model(input = {28, 28, 1}, loss = LossKind.CATEGORICAL_CROSSENTROPY, metrics = Metric.ACCURACY)
public abstract class FashionMlp {
    @Layer Flatten flat;
    @Layer(units = 128, activation = RELU) Dense hidden;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
