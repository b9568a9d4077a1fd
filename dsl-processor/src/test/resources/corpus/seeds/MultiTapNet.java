package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/** Aux losses with two activation taps at once and on parameters (DESIGN §1 case 5). */
@Model(input = {6, 6, 2}, loss = CATEGORICAL_CROSSENTROPY)
abstract class MultiTapNet {
    @Layer(filters = 3, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 5, activation = TANH) Dense hidden;
    @Layer(units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = {"conv1", "hidden"}, weight = 0.3)
    Tensor both(Tensor c, Tensor h) { return add(mean(square(c)), mean(abs(h))); }

    @AuxLoss(tap = "hidden.kernel", weight = 0.05)
    Tensor l1(Tensor kernel) { return sum(abs(kernel)); }

    @AuxLoss(tap = "out.bias", weight = 0.2)
    static Tensor biasSquare(Tensor b) { return sum(square(b)); }
}
