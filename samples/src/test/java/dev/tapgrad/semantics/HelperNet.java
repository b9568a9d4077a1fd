package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import java.util.Random;

/**
 * DESIGN §1 case 6 and the constants of case 2: aux bodies that call the model's own helper
 * methods (static and instance, nested) and read constant tensors, which get no gradient.
 */
@Model(input = {4}, loss = MSE)
abstract class HelperNet {
    /** A constant target for the hidden activations: (5,), broadcast over the batch. */
    static final Tensor TARGET = Tensor.randn(new Random(7), 5);
    /** An instance constant, set at construction. */
    final Tensor offset = Tensor.randn(new Random(8), 5);
    static final double HALF = 0.5;

    @Layer(units = 5, activation = TANH) Dense hidden;
    @Layer(units = 2) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.2)
    Tensor pull(Tensor hidden) {
        Tensor diff = sub(hidden, TARGET);
        return add(meanSquare(diff), scale(HALF, shifted(hidden)));
    }

    static Tensor meanSquare(Tensor a) { return mean(square(a)); }

    Tensor shifted(Tensor h) { return meanSquare(mul(h, offset)); }
}
