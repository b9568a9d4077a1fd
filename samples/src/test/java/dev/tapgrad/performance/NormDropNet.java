package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Dropout;
import dev.tapgrad.runtime.layers.Flatten;
import dev.tapgrad.runtime.layers.LayerNorm;
import dev.tapgrad.runtime.layers.MaxPool2D;

/**
 * The training-mode layers: Conv2D → BatchNorm (on channels) → MaxPool2D → Flatten → Dense →
 * LayerNorm → Dropout → Dense, with taps on a BatchNorm output and on its gamma.
 */
@Model(input = {8, 8, 2}, loss = CATEGORICAL_CROSSENTROPY)
abstract class NormDropNet {
    @Layer(filters = 4, kernel = 3, padding = SAME) Conv2D conv1;
    @Layer BatchNorm bn;
    @Layer MaxPool2D pool;
    @Layer Flatten flat;
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer(epsilon = 1e-5) LayerNorm ln;
    @Layer(rate = 0.3) Dropout drop;
    @Layer(units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "bn", weight = 0.01)
    Tensor centred(Tensor bn) { return mean(square(bn)); }

    @AuxLoss(tap = "bn.gamma", weight = 0.01)
    Tensor gammaNearOne(Tensor gamma) { return sum(square(gamma)); }
}
