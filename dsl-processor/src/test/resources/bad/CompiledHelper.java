package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;
import dev.tapgrad.processor.fixtures.CompiledClipping;

@Model(input = {10}, loss = MSE)
abstract class CompiledHelper {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor clipped(Tensor hidden) { return mean(CompiledClipping.clip(hidden)); }
}
