package dev.tapgrad.reference;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.AvgPool2D;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import dev.tapgrad.runtime.layers.MaxPool2D;

/**
 * Conv2D → MaxPool2D (Keras defaults) → Conv2D → AvgPool2D (SAME, stride 1: border windows average
 * their real positions only) → Flatten → Dense, with an aux loss on the max-pooled output; its
 * reference values come from {@code samples/src/test/python/make_case_references.py} (PyTorch),
 * fixtures in {@code PooledCnn/}.
 */
@Model(input = {6, 6, 2}, loss = MSE)
abstract class PooledCnn {
    @Layer(filters = 3, kernel = 3, padding = SAME, activation = TANH) Conv2D conv1;
    @Layer MaxPool2D pool1;
    @Layer(filters = 4, kernel = 2, activation = TANH) Conv2D conv2;
    @Layer(pool = 2, strides = 1, padding = SAME) AvgPool2D pool2;
    @Layer Flatten flat;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = "pool1", weight = 0.3)
    Tensor pooled(Tensor pool1) { return mean(square(pool1)); }
}
