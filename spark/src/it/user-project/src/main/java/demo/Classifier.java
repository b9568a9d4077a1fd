package demo;

import static dev.tapgrad.Activation.RELU;
import static dev.tapgrad.Activation.SOFTMAX;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

@Model(input = {12}, loss = LossKind.CATEGORICAL_CROSSENTROPY, metrics = Metric.ACCURACY)
public abstract class Classifier {
    @Layer(units = 32, activation = RELU) Dense hidden;
    @Layer(units = 4, activation = SOFTMAX) Dense out;
}
