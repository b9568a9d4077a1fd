package dev.tapgrad.reference;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/**
 * A small CNN with an L1 sparsity loss on its conv activations; its reference values come from
 * {@code samples/src/test/python/make_reference.py} (PyTorch), fixtures in {@code TinyCnn/}.
 */
@Model(input = {6, 6, 2}, loss = CATEGORICAL_CROSSENTROPY)
abstract class TinyCnn {
    @Layer(filters = 3, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv1", weight = 0.5)
    Tensor sparsity(Tensor conv1) { return mean(abs(conv1)); }
}
