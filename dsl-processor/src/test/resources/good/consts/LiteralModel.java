package consts;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** ConstantModel written with literals only and no helpers: the same numbers, so the same gradients. */
@Model(input = {6}, loss = MSE)
abstract class LiteralModel {
    @Layer(units = 8, activation = TANH) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor constants(Tensor hidden) {
        Tensor peak = mean(max(hidden, 1, true));
        Tensor shaped = scale(0.7853981633974483, add(peak, scale(0.5, mean(pow(hidden, 2.0)))));
        return add(shaped, scale(2.718281828459045, mean(sigmoid(max(hidden, -1, true)))));
    }
}
