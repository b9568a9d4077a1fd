package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** {@link CustomLossNet}'s loss written the Keras way: built-in MSE plus an aux term of weight 0.1. */
@Model(input = {6}, loss = MSE)
abstract class BuiltInLossNet {
    @Layer(units = 8, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = TANH) Dense intermediate;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = "intermediate", weight = 0.1)
    Tensor act(Tensor intermediate) { return mean(abs(intermediate)); }
}
