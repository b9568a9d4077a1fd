package dev.tapgrad.reference;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/**
 * Two Dense layers with an L2 activation loss on the hidden one; its reference values come from
 * {@code samples/src/test/python/make_reference.py} (PyTorch), fixtures in {@code TwoDense/}.
 */
@Model(input = {5}, loss = CATEGORICAL_CROSSENTROPY)
abstract class TwoDense {
    @Layer(units = 6, activation = RELU) Dense hidden;
    @Layer(units = 3, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.3)
    Tensor l2(Tensor hidden) { return mean(square(hidden)); }
}
