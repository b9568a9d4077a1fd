package dev.tapgrad.semantics;

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

/**
 * DAG wiring: a residual Add (a feeds both b and skip, so its gradient collects from two
 * consumers and the aux tap), and a Concatenate that reads the model input again.
 */
@Model(input = {6}, loss = MSE)
abstract class ResidualNet {
    @Layer(units = 8, activation = TANH) Dense a;
    @Layer(units = 8, activation = TANH) Dense b;
    @Layer(inputs = {"a", "b"}) Add skip;
    @Layer(inputs = {"skip", "input"}) Concatenate joined;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = "a", weight = 0.2)
    Tensor small(Tensor a) { return mean(square(a)); }
}
