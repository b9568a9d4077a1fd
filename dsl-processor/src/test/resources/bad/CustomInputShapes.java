package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

@Model(input = {4}, loss = LossKind.MSE)
abstract class CustomInputShapes {
    @Layer(units = 3) Dense a;
    @Layer(units = 4, inputs = {"input"}) Dense d;
    @Layer(inputs = {"a", "d"}) Sum mismatch;
}

@CustomLayer
abstract class Sum {
    Tensor call(Tensor left, Tensor right) { return add(left, right); }
}
