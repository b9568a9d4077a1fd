package custom;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.CustomLayer;
import dev.tapgrad.Init;
import dev.tapgrad.Weight;
import dev.tapgrad.runtime.Tensor;

/** DESIGN.md's Swish: a dense map, then h · sigmoid(h). */
@CustomLayer
public abstract class Swish {
    @Weight(shape = {"input", "units"}) Tensor kernel;
    @Weight(shape = {"units"}, init = Init.ZEROS) Tensor bias;

    Tensor call(Tensor x) {
        Tensor h = add(matmul(x, kernel), bias);
        return mul(h, sigmoid(h));
    }
}
