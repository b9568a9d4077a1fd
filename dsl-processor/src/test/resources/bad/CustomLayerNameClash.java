package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

@Model(input = {4}, loss = LossKind.MSE)
abstract class CustomLayerNameClash {
    @Layer Twice twice;
    @Layer(units = 2) Dense twiceLayer;
}

@CustomLayer
abstract class Twice {
    Tensor call(Tensor x) { return scale(2, x); }
}
