package consts;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;
import static java.lang.Math.E;

@Model(input = {6}, loss = MSE)
abstract class ConstantModel {
    static final int FEATURES = 1;

    @Layer(units = 8, activation = TANH) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor constants(Tensor hidden) {
        Tensor peak = mean(max(hidden, FEATURES, Consts.KEEP));
        Tensor shaped = scale(Math.PI / 4, add(peak, Helpers.halfMeanSquare(hidden)));
        return add(shaped, scale(E, mean(Local.shrink(Helpers.rowPeak(hidden)))));
    }

    /** A nested helper class, named without its outer class. */
    static final class Local {
        static Tensor shrink(Tensor t) { return sigmoid(t); }
    }
}
