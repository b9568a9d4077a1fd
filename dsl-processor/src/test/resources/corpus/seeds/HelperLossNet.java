package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Loss;
import dev.tapgrad.Model;
import dev.tapgrad.Tap;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import java.util.Random;

/**
 * CustomLossNet's @Loss method (labels, predictions and a @Tap) next to HelperNet's aux body, which
 * calls static and instance helpers and reads constant tensor and double fields.
 */
@Model(input = {6})
abstract class HelperLossNet {
    /** A constant target for the intermediate activations: (5,), broadcast over the batch. */
    static final Tensor TARGET = Tensor.randn(new Random(7), 5);
    /** An instance constant, set at construction. */
    final Tensor offset = Tensor.randn(new Random(8), 5);
    static final double HALF = 0.5;

    @Layer(units = 8, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = TANH) Dense intermediate;
    @Layer(units = 3) Dense out;

    @Loss
    Tensor loss(Tensor yTrue, Tensor yPred, @Tap("intermediate") Tensor act) {
        return add(mean(square(sub(yPred, yTrue))), scale(0.1, mean(abs(act))));
    }

    @AuxLoss(tap = "intermediate", weight = 0.2)
    Tensor pull(Tensor intermediate) {
        Tensor diff = sub(intermediate, TARGET);
        return add(meanSquare(diff), scale(HALF, shifted(intermediate)));
    }

    static Tensor meanSquare(Tensor a) { return mean(square(a)); }

    Tensor shifted(Tensor h) { return meanSquare(mul(h, offset)); }
}
