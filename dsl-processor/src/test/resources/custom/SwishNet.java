package custom;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** A custom layer inside a model, with an aux loss tapping its weight. */
@Model(input = {4}, loss = LossKind.MSE)
public abstract class SwishNet {
    @Layer(units = 3) Swish swish;
    @Layer(units = 2) Dense out;

    @AuxLoss(tap = "swish.kernel", weight = 0.01)
    Tensor l2(Tensor kernel) { return sum(square(kernel)); }
}
