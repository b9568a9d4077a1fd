package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Workload gru64 (issue 17 (d)): a text classifier at a realistic size, 80 token ids from a
 * vocabulary of 1000 → Embedding(32) → Gru(64, last state) → Dense(1, sigmoid), binary
 * crossentropy, batch 64, plus an L2 activity penalty on the GRU's final state.
 */
@Model(input = {BenchLongGru.STEPS}, loss = BINARY_CROSSENTROPY)
public abstract class BenchLongGru {
    /** Tokens per sequence. */
    static final int STEPS = 80;
    /** Distinct token ids. */
    static final int VOCABULARY = 1000;

    @Layer(vocabulary = VOCABULARY, units = 32) Embedding tokens;
    @Layer(units = 64) Gru gru;
    @Layer(units = 1, activation = SIGMOID) Dense out;

    @AuxLoss(tap = "gru", weight = 0.01)
    Tensor activity(Tensor gru) { return mean(square(gru)); }
}
