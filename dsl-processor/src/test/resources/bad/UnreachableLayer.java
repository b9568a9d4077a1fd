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
abstract class UnreachableLayer {
    @Layer(units = 32, activation = RELU) Dense hidden;
    @Layer(units = 16, activation = RELU) Dense side;
    @Layer(units = 5, inputs = {"hidden"}) Dense out;
}
