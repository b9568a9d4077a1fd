package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Loss;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/** A @Loss method named like the total ({@code loss}) next to an aux term: the total keeps its key. */
@Model(input = {3})
@SuppressWarnings("tapgrad:lossoutput") // the processor warns about exactly this naming
abstract class LossNamedLossNet {
    @Layer(units = 4, activation = TANH) Dense hidden;
    @Layer(units = 2) Dense out;

    @Loss
    Tensor loss(Tensor yTrue, Tensor yPred) { return mean(square(sub(yPred, yTrue))); }

    @AuxLoss(tap = "hidden", weight = 0.5)
    Tensor small(Tensor hidden) { return mean(square(hidden)); }
}
