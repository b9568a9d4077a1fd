package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/**
 * A model with every column of the summary at work, for SummaryTest: trainable and non-trainable
 * parameters (BatchNorm), a parameterless layer, an aux loss on an output, one on a parameter, and
 * one tapping two layers.
 */
@Model(input = {8, 8, 1}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
abstract class SummaryNet {
    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv;
    @Layer BatchNorm bn;
    @Layer Flatten flat;
    @Layer(units = 10, activation = RELU) Dense hidden;
    @Layer(units = 3, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv", weight = 0.01)
    Tensor sparsity(Tensor conv) { return mean(abs(conv)); }

    @AuxLoss(tap = "out.kernel", weight = 0.001)
    Tensor decay(Tensor kernel) { return sum(square(kernel)); }

    @AuxLoss(tap = {"conv", "hidden"}, weight = 0.5)
    Tensor both(Tensor conv, Tensor hidden) { return add(mean(square(conv)), mean(square(hidden))); }
}
