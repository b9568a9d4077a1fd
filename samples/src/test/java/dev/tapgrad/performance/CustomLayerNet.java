package dev.tapgrad.performance;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.CustomLayer;
import dev.tapgrad.Init;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.Weight;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** Custom layers for the allocation test: a Swish and a two-input sampling layer (random draws), with a tap on a custom weight. */
@Model(input = {16}, loss = LossKind.MSE)
abstract class CustomLayerNet {
    @Layer(units = 8) AllocSwish swish;
    @Layer(units = 4) Dense mean;
    @Layer(units = 4, inputs = {"swish"}) Dense logVar;
    @Layer(inputs = {"mean", "logVar"}) AllocSampling z;
    @Layer(units = 2) Dense out;

    @AuxLoss(tap = "swish.kernel", weight = 1e-3)
    Tensor l2(Tensor kernel) { return sum(square(kernel)); }
}

@CustomLayer
abstract class AllocSwish {
    @Weight(shape = {"input", "units"}) Tensor kernel;
    @Weight(shape = {"units"}, init = Init.ZEROS) Tensor bias;

    Tensor call(Tensor x) {
        Tensor h = add(matmul(x, kernel), bias);
        return mul(h, sigmoid(h));
    }
}

@CustomLayer
abstract class AllocSampling {
    Tensor call(Tensor mean, Tensor logVar) {
        return add(mean, mul(exp(scale(0.5, logVar)), randomNormal(mean)));
    }
}
