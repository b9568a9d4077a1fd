package dev.tapgrad.reference;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import dev.tapgrad.runtime.layers.LayerNorm;

/**
 * Conv2D → BatchNorm (on the channels) → Flatten → LayerNorm → Dense, with an aux loss on the
 * trainable {@code bn.gamma}; gradients() is the training forward, so BatchNorm uses the batch's
 * statistics and the moving ones in the checkpoint must not matter. Reference values from
 * {@code samples/src/test/python/make_case_references.py} (PyTorch), fixtures in {@code NormCnn/}.
 */
@Model(input = {4, 4, 2}, loss = MSE)
abstract class NormCnn {
    @Layer(filters = 3, kernel = 3, padding = SAME, activation = TANH) Conv2D conv1;
    @Layer BatchNorm bn;
    @Layer Flatten flat;
    @Layer LayerNorm ln;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = "bn.gamma", weight = 0.2)
    Tensor gammaSize(Tensor gamma) { return sum(square(gamma)); }
}
