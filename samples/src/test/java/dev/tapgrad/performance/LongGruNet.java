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

/**
 * Issue 17's text workload at the benchmark's sizes (bench workload gru64): 80 token ids from a
 * vocabulary of 1000 → Embedding(32) → Gru(64, last state) → Dense(1, sigmoid), binary
 * crossentropy, with a tap on the GRU's final state.
 */
@Model(input = {80}, loss = BINARY_CROSSENTROPY)
abstract class LongGruNet {
    @Layer(vocabulary = 1000, units = 32) Embedding tokens;
    @Layer(units = 64) Gru gru;
    @Layer(units = 1, activation = SIGMOID) Dense out;

    @AuxLoss(tap = "gru", weight = 0.01)
    Tensor activity(Tensor gru) { return mean(square(gru)); }
}
