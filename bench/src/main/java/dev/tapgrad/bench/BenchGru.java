package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

/**
 * Workload gru32: the samples' {@code text-gru} model (issue 12) with its sizes: 20 token ids from a
 * vocabulary of 12 → Embedding(16) → Gru(32, last state) → Dense(1, sigmoid); binary crossentropy.
 * The sizes are repeated here because the bench does not depend on the samples module.
 */
@Model(input = {BenchGru.STEPS}, loss = BINARY_CROSSENTROPY)
public abstract class BenchGru {
    /** Tokens per sequence (TextGruSample.STEPS). */
    static final int STEPS = 20;
    /** Distinct token ids (TextGruSample.VOCABULARY). */
    static final int VOCABULARY = 12;

    @Layer(vocabulary = VOCABULARY, units = 16) Embedding tokens;
    @Layer(units = 32) Gru gru;
    @Layer(units = 1, activation = SIGMOID) Dense out;
}
