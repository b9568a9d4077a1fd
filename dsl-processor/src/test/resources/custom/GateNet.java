package custom;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

/** A two-input custom layer joining two branches. */
@Model(input = {4}, loss = LossKind.MSE)
public abstract class GateNet {
    @Layer(units = 3) Dense a;
    @Layer(units = 3, inputs = {"input"}) Dense b;
    @Layer(inputs = {"a", "b"}) Gate gate;
}
