package dev.tapgrad.semantics;

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

/** The reference TinyCnn's layers with an aux loss that counts its evaluations (see {@link CountingOps}). */
@Model(input = {6, 6, 2}, loss = CATEGORICAL_CROSSENTROPY)
abstract class SparseNet {
    @Layer(filters = 3, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv1", weight = 0.5)
    Tensor sparsity(Tensor conv1) { return mean(CountingOps.countedAbs(conv1)); }
}
