package dev.tapgrad.performance;

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
 * KernelWarmupTest's model: the flagship's shape of layers (a direct-path convolution with a fused
 * penalty, a skinny head) in sizes no other test model has, so that its kernel warm-up is the first
 * for these configurations in the test JVM and really runs.
 */
@Model(input = {10, 10, 1}, loss = CATEGORICAL_CROSSENTROPY)
abstract class WarmupNet {
    @Layer(filters = 48, kernel = 3, activation = RELU) Conv2D conv;
    @Layer Flatten flat;
    @Layer(units = 7, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv", weight = 0.01)
    Tensor sparsity(Tensor conv) { return mean(abs(conv)); }
}
