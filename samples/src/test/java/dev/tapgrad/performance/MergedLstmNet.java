package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Add;
import dev.tapgrad.runtime.layers.Concatenate;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.LayerNorm;
import dev.tapgrad.runtime.layers.Lstm;

/**
 * The layers the other allocation models leave out: an Lstm returning its last state only, a
 * residual Add and a Concatenate (gradients collected from two consumers), a LayerNorm on the sum;
 * a tap on the Add.
 */
@Model(input = {10, 4}, loss = MSE)
abstract class MergedLstmNet {
    @Layer(units = 16) Lstm lstm;
    @Layer(units = 16, activation = TANH) Dense a;
    @Layer(inputs = {"lstm", "a"}) Add skip;
    @Layer LayerNorm norm;
    @Layer(inputs = {"norm", "lstm"}) Concatenate joined;
    @Layer(units = 2) Dense out;

    @AuxLoss(tap = "skip", weight = 0.1)
    Tensor small(Tensor skip) { return mean(square(skip)); }
}
