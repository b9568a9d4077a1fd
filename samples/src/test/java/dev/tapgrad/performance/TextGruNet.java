package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Embedding;
import dev.tapgrad.runtime.layers.Gru;

/** Embedding → Gru (sequences) → Gru (last) → Dense(1, sigmoid), with a tap on the embedded tokens and one on the first Gru. */
@Model(input = {12}, loss = MSE)
abstract class TextGruNet {
    @Layer(vocabulary = 50, units = 8) Embedding tokens;
    @Layer(units = 16, returnSequences = true) Gru seq;
    @Layer(units = 8) Gru last;
    @Layer(units = 1, activation = SIGMOID) Dense out;

    @AuxLoss(tap = {"tokens", "seq"}, weight = 0.01)
    Tensor activity(Tensor tokens, Tensor seq) { return add(mean(square(tokens)), mean(square(seq))); }
}
