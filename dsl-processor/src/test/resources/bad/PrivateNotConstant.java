package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

@Model(input = {10}, loss = MSE)
abstract class PrivateNotConstant {
    private double factor = 2;

    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor weighted(Tensor hidden) { return mean(scale(factor, hidden)); }
}
