package dev.tapgrad.spark.models;

import static dev.tapgrad.Activation.SOFTMAX;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Dense;

/**
 * BatchNorm straight on the 12 input features, then the classifier: the moving statistics after a
 * step are those of the raw data, which a test can compute on its own. Momentum 0.5 so that one
 * step moves them far.
 */
@Model(input = {12}, loss = LossKind.CATEGORICAL_CROSSENTROPY)
public abstract class BnNet {
    @Layer(momentum = 0.5) BatchNorm norm;
    @Layer(units = 4, activation = SOFTMAX) Dense out;
}
