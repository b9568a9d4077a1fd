package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.Layer;
import dev.tapgrad.Loss;
import dev.tapgrad.Model;
import dev.tapgrad.Tap;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** DESIGN §1 case 4: a main loss that reads labels, predictions and an intermediate activation. */
@Model(input = {6})
abstract class CustomLossNet {
    @Layer(units = 8, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = TANH) Dense intermediate;
    @Layer(units = 3) Dense out;

    @Loss
    Tensor loss(Tensor yTrue, Tensor yPred, @Tap("intermediate") Tensor act) {
        return add(mean(square(sub(yPred, yTrue))), scale(0.1, mean(abs(act))));
    }
}
