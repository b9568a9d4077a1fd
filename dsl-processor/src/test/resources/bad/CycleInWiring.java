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
import dev.tapgrad.runtime.layers.Add;

@Model(input = {784}, loss = MSE)
abstract class CycleInWiring {
    @Layer(units = 32, activation = RELU, inputs = {"merge"}) Dense first;
    @Layer(units = 32, activation = RELU) Dense second;
    @Layer(inputs = {"first", "second"}) Add merge;
    @Layer(units = 5, inputs = {"merge"}) Dense out;
}
