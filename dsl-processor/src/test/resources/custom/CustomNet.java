package custom;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** Custom layers in a model: one input, then two (a DAG), with an aux loss on a custom weight. */
@Model(input = {4}, loss = LossKind.MSE)
public abstract class CustomNet {
    @Layer(units = 3) Square square;
    @Layer(units = 3) Dense left;
    @Layer(units = 3, inputs = {"square"}) Dense right;
    @Layer(inputs = {"left", "right"}) Gate gate;
    @Layer(units = 2) Dense out;

    @AuxLoss(tap = "square.kernel", weight = 0.01)
    Tensor l2(Tensor kernel) { return sum(square(kernel)); }
}
