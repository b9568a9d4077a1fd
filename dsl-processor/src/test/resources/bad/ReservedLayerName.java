package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.ACCURACY;
import static dev.tapgrad.runtime.Ops.*;

@Model(input = {784}, loss = MSE)
abstract class ReservedLayerName {
    @Layer(units = 32, activation = RELU) Dense x;
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer(units = 5) Dense hiddenOut;
    @Layer(units = 4) Dense hiddenKernel;

    @AuxLoss(tap = "hidden.kernel", weight = 0.1)
    Tensor l1(Tensor kernel) { return sum(abs(kernel)); }
}
