package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

@Model(input = {4}, loss = LossKind.MSE)
abstract class CustomArity {
    @Layer(units = 3) Dense a;
    @Layer(units = 3, inputs = {"input"}) Dense b;
    @Layer(units = 3, inputs = {"input"}) Dense c;
    @Layer(inputs = {"a", "b", "c"}) Join join;
}

@CustomLayer
abstract class Join {
    Tensor call(Tensor left, Tensor right) { return add(left, right); }
}
