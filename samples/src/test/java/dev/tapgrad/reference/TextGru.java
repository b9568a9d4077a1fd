package dev.tapgrad.reference;

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
 * Embedding → Gru (last step) → Dense(1, sigmoid), with an aux loss on the Gru's output; its
 * reference values come from {@code samples/src/test/python/make_case_references.py} (PyTorch's
 * GRU on the Keras weights), fixtures in {@code TextGru/}. The input is token ids.
 */
@Model(input = {6}, loss = MSE)
abstract class TextGru {
    @Layer(vocabulary = 9, units = 4) Embedding tokens;
    @Layer(units = 5) Gru gru;
    @Layer(units = 1, activation = SIGMOID) Dense out;

    @AuxLoss(tap = "gru", weight = 0.2)
    Tensor activity(Tensor gru) { return mean(square(gru)); }
}
