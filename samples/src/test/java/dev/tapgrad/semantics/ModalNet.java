package dev.tapgrad.semantics;

import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Dropout;
import dev.tapgrad.runtime.layers.LayerNorm;

/**
 * The training-mode layers in one model, for ModesTest: BatchNorm (momentum 0.5, so one step moves
 * the moving statistics half way), Dropout and LayerNorm, with an aux loss tapping {@code bn.gamma}.
 */
@Model(input = {6}, loss = MSE)
abstract class ModalNet {
    @Layer(units = 8) Dense hidden;
    @Layer(momentum = 0.5) BatchNorm bn;
    @Layer(rate = 0.5) Dropout drop;
    @Layer LayerNorm ln;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = "bn.gamma", weight = 0.1)
    Tensor gammaSize(Tensor gamma) { return sum(square(gamma)); }
}
