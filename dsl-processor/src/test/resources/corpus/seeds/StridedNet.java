package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/**
 * A strided, SAME-padded, non-square conv (asymmetric padding: H 7 to 4 pads 1 and 1, W 5 to 3 pads
 * 0 and 1) with two auxiliary losses, one on the conv and one on the output; its reference values
 * come from {@code samples/src/test/python/make_reference.py} (PyTorch), fixtures in
 * {@code StridedCnn/}.
 */
@Model(input = {7, 5, 3}, loss = MSE)
abstract class StridedNet {
    @Layer(filters = 4, kernel = {3, 2}, strides = 2, padding = SAME, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = "conv1", weight = 0.1)
    Tensor energy(Tensor conv1) { return add(mean(square(conv1)), scale(0.5, sum(mul(conv1, conv1)))); }

    @AuxLoss(tap = "out", weight = 2.0)
    Tensor centered(Tensor out) { return mean(square(sub(out, neg(out)))); }
}
