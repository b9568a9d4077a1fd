package custom;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.CustomLayer;
import dev.tapgrad.Init;
import dev.tapgrad.Weight;
import dev.tapgrad.runtime.Tensor;

/** A dense map followed by h·tanh-free gating, h · h: the Swish of DESIGN.md with mul(h, h) for sigmoid, which the ops lack yet. */
@CustomLayer
public abstract class Square {
    @Weight(shape = {"input", "units"}) Tensor kernel;
    @Weight(shape = {"units"}, init = Init.ZEROS) Tensor bias;

    Tensor call(Tensor x) {
        Tensor h = add(matmul(x, kernel), bias);
        return mul(h, h);
    }
}
